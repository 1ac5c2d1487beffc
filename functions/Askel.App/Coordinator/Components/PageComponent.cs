using Microsoft.AspNetCore.Components;

namespace Askel.App.Coordinator.Components;

/// <summary>A coordinator page as a Razor component: the page's context and the typed model it shows.</summary>
/// <typeparam name="TModel">What the page shows, read before it renders.</typeparam>
public abstract class PageComponent<TModel> : ComponentBase
{
    /// <summary>The page's language, address, user and form tokens.</summary>
    [Parameter, EditorRequired]
    public PageContext Page { get; set; } = null!;

    /// <summary>What the page shows.</summary>
    [Parameter, EditorRequired]
    public TModel Model { get; set; } = default!;
}
