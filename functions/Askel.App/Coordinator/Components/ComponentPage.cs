using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Askel.App.Coordinator.Components;

/// <summary>
/// A coordinator page as a response: the component is rendered to HTML with <see cref="HtmlRenderer"/> (static, no
/// interactivity, no scripts) when the result runs, and written with its status.
/// </summary>
/// <typeparam name="TComponent">The page's component.</typeparam>
/// <typeparam name="TModel">What it shows.</typeparam>
public sealed class ComponentPage<TComponent, TModel>(PageContext page, TModel model, int status) : IResult
    where TComponent : PageComponent<TModel>
{
    /// <summary>The response's status code.</summary>
    public int StatusCode => status;

    /// <summary>The same page with another status code.</summary>
    public ComponentPage<TComponent, TModel> WithStatus(int statusCode) => new(page, model, statusCode);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var html = await RenderAsync(httpContext.RequestServices.GetRequiredService<HtmlRenderer>());
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        await httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
    }

    /// <summary>The page's HTML.</summary>
    public Task<string> RenderAsync(HtmlRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(PageComponent<TModel>.Page)] = page,
            [nameof(PageComponent<TModel>.Model)] = model,
        });
        return renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<TComponent>(parameters)).ToHtmlString());
    }
}
