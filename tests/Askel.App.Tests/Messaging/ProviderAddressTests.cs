using Askel.App.Messaging.Email;
using Askel.App.Messaging.Sms;

namespace Askel.App.Tests.Messaging;

/// <summary>A provider's address carries API keys and personal data: https only, http only to a stand-in on this machine.</summary>
public sealed class ProviderAddressTests
{
    public static TheoryData<string> Refused() => ["http://api.sendgrid.example", "http://10.0.0.5:8080", "ftp://gw.example/sms", "not a url"];

    public static TheoryData<string> Accepted() => ["https://gw.example/sms", "http://127.0.0.1:5005", "http://localhost:5005/v3", "http://[::1]:5005"];

    [Theory]
    [MemberData(nameof(Refused))]
    public void APlainHttpAddressElsewhere_StopsTheStart(string url)
    {
        Assert.Contains("Askel__SendGrid__BaseUrl", EmailSetup.Problem("sendgrid", new SendGridOptions { ApiKey = "k", From = "a@example.org", BaseUrl = url }, new GraphMailOptions()), StringComparison.Ordinal);
        Assert.Contains("Askel__Graph__BaseUrl", EmailSetup.Problem("graph", new SendGridOptions(), new GraphMailOptions { Mailbox = "m@example.org", BaseUrl = url }), StringComparison.Ordinal);
        Assert.Contains("Askel__Twilio__BaseUrl", SmsSetup.SettingsProblem("twilio", new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "Askel", BaseUrl = url }, new SmsGatewayOptions()), StringComparison.Ordinal);
        Assert.Contains("Askel__SmsGateway__Url", SmsSetup.SettingsProblem("gateway", new TwilioOptions(), new SmsGatewayOptions { Url = url, ApiKey = "k", From = "Askel", WebhookSecret = "s" }), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AnHttpsAddress_OrAStandInOnThisMachine_IsAccepted(string url)
    {
        Assert.Null(EmailSetup.Problem("sendgrid", new SendGridOptions { ApiKey = "k", From = "a@example.org", BaseUrl = url }, new GraphMailOptions()));
        Assert.Null(EmailSetup.Problem("graph", new SendGridOptions(), new GraphMailOptions { Mailbox = "m@example.org", BaseUrl = url }));
        Assert.Null(SmsSetup.SettingsProblem("twilio", new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "Askel", BaseUrl = url }, new SmsGatewayOptions()));
        Assert.Null(SmsSetup.SettingsProblem("gateway", new TwilioOptions(), new SmsGatewayOptions { Url = url, ApiKey = "k", From = "Askel", WebhookSecret = "s" }));
    }
}
