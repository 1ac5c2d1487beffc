using System.Text.RegularExpressions;
using Askel.App.LocalHost;
using Askel.App.Tests.Coordinator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Security;

/// <summary>Every page route — each HTTP function under <c>/f/</c> and <c>/coordinator</c>, each of its methods — sends the security headers.</summary>
public sealed partial class PageHeadersTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    [Fact]
    public async Task EveryPageRoute_SendsTheSecurityHeaders_SignedInOrNot()
    {
        var pages = App.Services.GetRequiredService<LocalFunctions>().Http
            .Select(f => (HttpTrigger)f.Declaration.Trigger)
            .Where(t => t.Route.StartsWith("f/", StringComparison.Ordinal) || t.Route.StartsWith("coordinator", StringComparison.Ordinal))
            .Where(t => t.Route != "coordinator/style.css")
            .ToList();
        Assert.True(pages.Count >= 20, $"only {pages.Count} page routes found");
        using var anonymous = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var admin = await SignInAsync("admin@askel.local");

        var checkedResponses = 0;
        foreach (var trigger in pages)
        {
            var path = "/" + RouteValue().Replace(trigger.Route, m => m.Groups[1].Value switch { "token" => "AAAAAAAAAAAAAAAAAAAAAA", "projectId" => "demo", _ => "x" });
            foreach (var method in trigger.Methods)
            {
                foreach (var client in new[] { anonymous, admin })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
                    if (method == "post")
                    {
                        request.Content = new FormUrlEncodedContent([KeyValuePair.Create("page", "x")]);
                    }

                    using var response = await client.SendAsync(request);
                    AssertHeaders(path, method, response, participant: trigger.Route.StartsWith("f/", StringComparison.Ordinal));
                    checkedResponses++;
                }
            }
        }

        Output.WriteLine($"{pages.Count} routes, {checkedResponses} responses checked");
    }

    private static void AssertHeaders(string path, string method, HttpResponseMessage response, bool participant)
    {
        var where = $"{method} {path} ({(int)response.StatusCode})";
        var policy = Header(response, "Content-Security-Policy");
        Assert.True(policy is not null, $"{where}: no Content-Security-Policy");
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        if (participant)
        {
            Assert.Matches(@"style-src 'sha256-[A-Za-z0-9+/]{43}='", policy);
            Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("style-src 'self';", policy, StringComparison.Ordinal);
        }

        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{where}: X-Content-Type-Options");
        Assert.True(Header(response, "Referrer-Policy") == "no-referrer", $"{where}: Referrer-Policy");
        Assert.True(Header(response, "X-Frame-Options") == "DENY", $"{where}: X-Frame-Options {Header(response, "X-Frame-Options")}");
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{where}: Cache-Control {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task TheCoordinatorStyleSheet_IsLinkedByItsVersion_KeptForAYear_AndRevalidatedOtherwise()
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await client.GetStringAsync("/coordinator/signin");
        var href = Regex.Match(signIn, "<link rel=\"stylesheet\" href=\"([^\"]+)\" />").Groups[1].Value;
        Assert.Matches("^/coordinator/style.css\\?v=[0-9a-f]{16}$", href);

        using var sheet = await client.GetAsync(href);
        using var unversioned = await client.GetAsync("/coordinator/style.css");
        using var revalidated = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/coordinator/style.css") { Headers = { { "If-None-Match", sheet.Headers.ETag!.ToString() } } });

        Assert.Equal(System.Net.HttpStatusCode.OK, sheet.StatusCode);
        Assert.Equal("text/css", sheet.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", Header(sheet, "X-Content-Type-Options"));
        Assert.Equal(TimeSpan.FromDays(365), sheet.Headers.CacheControl!.MaxAge);
        Assert.Contains("main,footer", await sheet.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(unversioned.Headers.CacheControl!.NoCache);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    [GeneratedRegex(@"\{([A-Za-z]+)(?::[^}]*)?\}")]
    private static partial Regex RouteValue();
}
