using Askel.App;
using Askel.App.Commands;
using Askel.App.Hosting;
using Askel.App.LocalHost;
using Microsoft.Azure.Functions.Worker.Builder;

if (args is ["validate", .. var rest]) { return ValidateCommand.Run(rest, Console.Out, Console.Error); }
if (args is ["simulate", .. var simulateArgs]) { return await SimulateCommand.RunAsync(simulateArgs, Console.Out, Console.Error); }
if (args is ["form", .. var formArgs]) { return FormCommand.Run(formArgs, Console.Out, Console.Error); }
if (args is ["summary", .. var summaryArgs]) { return await SummaryCommand.RunAsync(summaryArgs, Console.Out, Console.Error); }

if (HostingNames.StartedByFunctionsHost(args))
{
    // In Azure: the isolated worker the Functions host starts; the host routes HTTP, fires timers and runs the task hub.
    var functions = FunctionsApplication.CreateBuilder(args);
    functions.ConfigureFunctionsWebApplication();
    functions.AddAskel();
    await functions.Build().RunAsync();
    return 0;
}

// Locally and in tests: the same functions on the local host.
var builder = WebApplication.CreateBuilder(args);
builder.AddAskel();
builder.AddLocalFunctionsHost();
var app = builder.Build();
app.MapLocalFunctions();
return await app.RunLocallyAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
