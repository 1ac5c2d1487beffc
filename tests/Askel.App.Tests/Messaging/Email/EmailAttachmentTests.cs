using System.Text;
using System.Text.Json.Nodes;
using Askel.App.Messaging;
using Askel.App.Messaging.Email;
using Microsoft.Extensions.DependencyInjection;

namespace Askel.App.Tests.Messaging.Email;

/// <summary>An email with several recipients, an inline chart and files, as SendGrid and Graph receive it from the real clients.</summary>
public sealed class EmailAttachmentTests : FakeEmailApiTest
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
    private static readonly byte[] Xlsx = [0x50, 0x4B, 0x03, 0x04, 9, 8, 7];
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("Luku;Kuukausi\r\nAloittaneet;3\r\n");

    public static OutgoingMessage Summary() =>
        new("email", "maija@example.org", "Kuukausiyhteenveto 10/2026", "Aloittaneet 3", "fi")
        {
            Html = "<p>Aloittaneet 3</p><img src=\"cid:chart\" alt=\"\">",
            AlsoTo = ["pekka@example.org"],
            Attachments =
            [
                new MailAttachment("chart.png", "image/png", Png, "chart"),
                new MailAttachment("askel-demo-2026-10.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Xlsx),
                new MailAttachment("askel-demo-2026-10.csv", "text/csv", Csv),
            ],
        };

    [Fact]
    public async Task SendGrid_sends_every_recipient_in_one_personalization_and_the_files_base64_with_the_chart_inline()
    {
        var result = await Services().GetRequiredService<SendGridEmailProvider>().SendAsync("summary.demo.2026-10", Summary(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Accepted, result.Outcome);
        var body = JsonNode.Parse(Assert.Single(Api.Requests).Body)!;
        var personalization = Assert.Single(body["personalizations"]!.AsArray())!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"email":"maija@example.org"},{"email":"pekka@example.org"}]"""), personalization["to"]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""
            [
              {"content":"{{Convert.ToBase64String(Png)}}","type":"image/png","filename":"chart.png","disposition":"inline","content_id":"chart"},
              {"content":"{{Convert.ToBase64String(Xlsx)}}","type":"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet","filename":"askel-demo-2026-10.xlsx","disposition":"attachment"},
              {"content":"{{Convert.ToBase64String(Csv)}}","type":"text/csv","filename":"askel-demo-2026-10.csv","disposition":"attachment"}
            ]
            """),
            body["attachments"]), body["attachments"]!.ToJsonString());
        Assert.Equal("<p>Aloittaneet 3</p><img src=\"cid:chart\" alt=\"\">", (string?)body["content"]![1]!["value"]);
        Assert.Equal("summary.demo.2026-10", (string?)body["custom_args"]!["askel_message_id"]);
    }

    [Fact]
    public async Task SendGrid_without_attachments_sends_no_attachments_field()
    {
        await Services().GetRequiredService<SendGridEmailProvider>().SendAsync("effect-1", new OutgoingMessage("email", "ada@example.org", "Hei", "Hei Ada", "fi"), CancellationToken.None);

        Assert.Null(JsonNode.Parse(Assert.Single(Api.Requests).Body)!["attachments"]);
    }

    [Fact]
    public async Task SendGrid_redacts_every_recipient_from_a_failure_reason()
    {
        Api.Script(new ScriptedResponse(400, """{"errors":[{"message":"Invalid recipients maija@example.org, PEKKA@example.org"}]}"""));

        var result = await Services().GetRequiredService<SendGridEmailProvider>().SendAsync("summary.demo.2026-10", Summary(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Equal("SendGrid 400: Invalid recipients the recipient, the recipient", result.Reason);
    }

    [Fact]
    public async Task Graph_sends_every_recipient_and_the_files_as_file_attachments_with_the_chart_inline()
    {
        var result = await Services().GetRequiredService<GraphMailProvider>().SendAsync("summary.demo.2026-10", Summary(), CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: "summary.demo.2026-10"), result);
        var request = Assert.Single(Api.Requests);
        Assert.Equal("/v1.0/users/study@example.org/sendMail", request.Path);
        var message = JsonNode.Parse(request.Body)!["Message"]!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"emailAddress":{"address":"maija@example.org"}},{"emailAddress":{"address":"pekka@example.org"}}]"""),
            message["toRecipients"]), message["toRecipients"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""
            [
              {"@odata.type":"#microsoft.graph.fileAttachment","contentType":"image/png","isInline":true,"name":"chart.png","contentBytes":"{{Convert.ToBase64String(Png)}}","contentId":"chart"},
              {"@odata.type":"#microsoft.graph.fileAttachment","contentType":"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet","isInline":false,"name":"askel-demo-2026-10.xlsx","contentBytes":"{{Convert.ToBase64String(Xlsx)}}"},
              {"@odata.type":"#microsoft.graph.fileAttachment","contentType":"text/csv","isInline":false,"name":"askel-demo-2026-10.csv","contentBytes":"{{Convert.ToBase64String(Csv)}}"}
            ]
            """),
            message["attachments"]), message["attachments"]!.ToJsonString());
        Assert.Equal(("html", "<p>Aloittaneet 3</p><img src=\"cid:chart\" alt=\"\">"), ((string?)message["body"]!["contentType"], (string?)message["body"]!["content"]));
    }

    [Fact]
    public async Task Graph_without_attachments_sends_no_attachments_field()
    {
        await Services().GetRequiredService<GraphMailProvider>().SendAsync("effect-1", new OutgoingMessage("email", "ada@example.org", "Hei", "Hei Ada", "fi"), CancellationToken.None);

        Assert.Null(JsonNode.Parse(Assert.Single(Api.Requests).Body)!["Message"]!["attachments"]);
    }

    private ServiceProvider Services() => ProviderServices(new FixedCredential("graph-token"));
}
