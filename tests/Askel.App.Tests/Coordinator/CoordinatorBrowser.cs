using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Askel.App.Tests.Coordinator;

/// <summary>What a coordinator's browser does in the tests: sign in locally, post forms with their antiforgery token, enrol.</summary>
internal static partial class CoordinatorBrowser
{
    /// <summary>A client that keeps cookies, signed in locally as <paramref name="user"/>.</summary>
    public static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> app, string user)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        using var response = await PostAsync(client, "/coordinator/signin", "/coordinator/signin", ("user", user), ("returnUrl", "/coordinator"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return client;
    }

    /// <summary>Enrols a participant in the demo project; returns their id.</summary>
    public static async Task<string> EnrolAsync(HttpClient client, string first, string last, string? email, string? phone, bool inPerson = false)
    {
        const string Path = "/coordinator/projects/demo/participants/new";
        using var response = await PostAsync(client, Path, Path,
            [("firstName", first), ("lastName", last), ("language", "fi"), ("email", email ?? ""), ("phone", phone ?? ""), .. inPerson ? new[] { ("intakeInPerson", "on") } : []]);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return ParticipantPath().Match(response.Headers.Location!.ToString()).Groups[1].Value;
    }

    /// <summary>Gets a page for its antiforgery token (and an enrolment form's key), then posts with them, as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string tokenPage, string path, params (string Name, string Value)[] fields)
    {
        var page = await client.GetStringAsync(tokenPage);
        var token = TokenField().Match(page).Groups[1].Value;
        var key = EnrolmentKeyField().Match(page) is { Success: true } found ? new[] { KeyValuePair.Create("enrolmentKey", found.Groups[1].Value) } : [];
        return await client.PostAsync(path, new FormUrlEncodedContent([
            KeyValuePair.Create("__af", WebUtility.HtmlDecode(token)), .. key, .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
    }

    /// <summary>The enrolment form's key.</summary>
    [GeneratedRegex("name=\"enrolmentKey\" value=\"([0-9a-f]{32})\"")]
    public static partial Regex EnrolmentKeyField();

    /// <summary>The antiforgery field of a page.</summary>
    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    public static partial Regex TokenField();

    /// <summary>A participant's id in a page address.</summary>
    [GeneratedRegex("/participants/([a-z0-9]+)")]
    public static partial Regex ParticipantPath();
}
