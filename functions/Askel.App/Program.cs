using Askel.App.Commands;
using Askel.App.Coordinator;
using Askel.App.CustomHandler;
using Askel.App.Hosting;
using Askel.App.Messaging.Email;
using Askel.App.Forms;
using Askel.App.Messaging.Sms;
using Askel.App.Operations;
using Askel.App.Participants;
using Askel.App.Security;
using Askel.App.Summaries;
using Askel.App.Workflows;

if (args is ["validate", .. var rest]) { return ValidateCommand.Run(rest, Console.Out, Console.Error); }
if (args is ["simulate", .. var simulateArgs]) { return await SimulateCommand.RunAsync(simulateArgs, Console.Out, Console.Error); }
if (args is ["summary", .. var summaryArgs]) { return await SummaryCommand.RunAsync(summaryArgs, Console.Out, Console.Error); }

var builder = WebApplication.CreateBuilder(args);
builder.AddAskelDefaults();
builder.AddAskelStorage();
builder.AddAskelSecurity();
builder.AddFunctionHost();
builder.AddWorkflowRuntime();
builder.AddParticipants();
builder.AddSummaryDelivery();
builder.AddEmailProviders();
builder.AddSmsProviders();
builder.AddCoordinatorPages();
builder.AddOperations();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealth();
app.MapInstanceManagement();
app.MapParticipantPages();
Askel.App.Messaging.Email.SendGridWebhookEndpoints.MapSendGridWebhook(app);
app.MapSmsWebhooks();
app.MapCoordinatorPages();
app.MapFunctionInvocations();
return await app.RunAskelAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
