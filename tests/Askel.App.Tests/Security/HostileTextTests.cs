using System.Net;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Tests.Coordinator;
using Askel.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace Askel.App.Tests.Security;

/// <summary>
/// A corpus of hostile text through every enrolment field and every field of every form (Askel has no imports): each
/// gets a clear answer — stored as typed, or refused with a message — never a server error, never markup run, and
/// nothing typed is lost from the draft.
/// </summary>
public sealed class HostileTextTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    public static readonly string[] Corpus =
    [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "\u202Eevil\u202C gnp.exe",
        "a\0b",
        new string('x', 100_000),
        "=HYPERLINK(\"https://evil.example\",\"click\")",
        "+358 40 123 4567",
        "-2+3",
        "@SUM(A1:A9)",
        "Aino\r\nBcc: victim@evil.example",
        "{{ participant.email }}{% for i in (1..100000000) %}x{% endfor %}",
        "'; DROP TABLE participants; --",
        "🙂‍↔️ دانیال ‌ Ωμέγα",
    ];

    [Fact]
    public async Task EveryEnrolmentField_StoresTheTextAsTyped_OrSaysWhatToFix()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        const string Path = "/coordinator/projects/demo/participants/new";
        var n = 0;
        foreach (var text in Corpus)
        {
            foreach (var field in new[] { "firstName", "lastName", "email", "phone" })
            {
                var values = new Dictionary<string, string> { ["firstName"] = "Aino", ["lastName"] = "Virtanen", ["language"] = "fi", ["email"] = "", ["phone"] = $"040 {1_000_000 + n++}" }; // a new number each time: no "same contact" question
                values[field] = text;
                using var response = await CoordinatorBrowser.PostAsync(client, Path, Path, [.. values.Select(v => (v.Key, v.Value))]);
                var page = await response.Content.ReadAsStringAsync();
                var what = $"{field} = {Shown(text)}";

                Assert.True(response.StatusCode is HttpStatusCode.SeeOther or HttpStatusCode.UnprocessableEntity, $"{what}: {response.StatusCode} {page[Math.Max(0, page.IndexOf("<main", StringComparison.Ordinal))..]}");
                Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
                Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
                if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    Assert.True(page.Contains("role=\"alert\"", StringComparison.Ordinal) && page.Contains($"id=\"{(field == "email" ? "email" : field)}-error\"", StringComparison.Ordinal)
                        || page.Contains("id=\"contact-error\"", StringComparison.Ordinal), $"{what}: the page says what to fix");
                    continue;
                }

                var id = CoordinatorBrowser.ParticipantPath().Match(response.Headers.Location!.ToString()).Groups[1].Value;
                var stored = await App.Services.GetRequiredService<ParticipantTables>().FindParticipantAsync("demo", id, CancellationToken.None);
                var kept = field switch { "firstName" => stored!.FirstName, "lastName" => stored!.LastName, _ => null };
                Assert.True(kept is null || kept == text.Replace("\0", "", StringComparison.Ordinal).Trim(), $"{what}: stored as typed (a NUL character removed)");
                var timeline = await client.GetStringAsync($"/coordinator/projects/demo/participants/{id}");
                Assert.DoesNotContain("<script>alert", timeline, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task EveryFieldOfEveryForm_KeepsWhatWasTypedInTheDraft_AndAnswersWithAPageNotAnError()
    {
        var participant = await App.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            App.Services.GetRequiredService<Askel.App.Projects.ProjectCatalog>().Find("demo")!, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", false), "coordinator@askel.local", CancellationToken.None);
        var forms = App.Services.GetRequiredService<FormCatalog>();
        var flow = App.Services.GetRequiredService<FormFlow>();
        var responses = App.Services.GetRequiredService<FormResponses>();
        foreach (var name in Directory.GetFiles(Repository.Path("workflows", "forms"), "*.yaml").Select(System.IO.Path.GetFileNameWithoutExtension))
        {
            var form = forms.Find(name!)!;
            var session = new FormSession(participant, form, "fi", "/f/test", Assisted: false, Actor: "participant");
            foreach (var page in form.Pages)
            {
                var fields = page.Questions.SelectMany(RawAnswers.FieldsOf).ToList();
                foreach (var text in Corpus)
                {
                    var posted = new FormCollection(new Dictionary<string, StringValues>(fields.ToDictionary(f => f, _ => new StringValues(text)))
                    {
                        ["page"] = page.Id,
                        ["action"] = "next",
                    });
                    var (status, body) = await RunAsync(await flow.PostAsync(session, posted, CancellationToken.None));
                    var (draft, _) = await responses.DraftAsync(participant.Id, form.Name, CancellationToken.None);
                    var what = $"{name}/{page.Id} = {Shown(text)}";

                    Assert.True(status is StatusCodes.Status303SeeOther or StatusCodes.Status422UnprocessableEntity, $"{what}: {status}");
                    Assert.DoesNotContain("<script>alert", body, StringComparison.Ordinal);
                    Assert.DoesNotContain("<img src=x", body, StringComparison.Ordinal);
                    Assert.All(fields, f => Assert.Equal(text.Length > RawAnswers.MaxFieldLength ? text[..RawAnswers.MaxFieldLength] : text, draft.Value(f)));
                }
            }
        }
    }

    [Fact]
    public async Task APostWithANulCharacter_KeepsEverythingElseTyped()
    {
        var participant = await App.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            App.Services.GetRequiredService<Askel.App.Projects.ProjectCatalog>().Find("demo")!, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", false), "coordinator@askel.local", CancellationToken.None);
        await App.Services.SettleAsync();
        var token = Forms.FormLinkTokens.InIntakeSms(Factory.DataPath);
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.PostAsync($"/f/{token}", new StringContent(
            "page=about-you&action=next&q.gender=wo%00man&q.birthDate.day=5&q.birthDate.month=6&q.birthDate.year=19%0090",
            System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        var (draft, _) = await App.Services.GetRequiredService<FormResponses>().DraftAsync(participant.Id, "esf-entry", CancellationToken.None);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(("woman", "1990", "5"), (draft.Value("q.gender"), draft.Value("q.birthDate.year"), draft.Value("q.birthDate.day")));
    }

    private async Task<(int Status, string Body)> RunAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = App.Services };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    private static string Shown(string text) => text.Length > 40 ? $"{text[..20]}… ({text.Length} characters)" : text;
}
