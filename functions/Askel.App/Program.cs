using Askel.App.Commands;
using Askel.App.CustomHandler;
using Askel.App.Hosting;
using Askel.App.Operations;

if (args is ["validate", .. var rest]) { return ValidateCommand.Run(rest, Console.Out, Console.Error); }

var builder = WebApplication.CreateBuilder(args);
builder.AddAskelDefaults();
builder.AddAskelStorage();
builder.AddFunctionHost();
builder.AddOperations();

var app = builder.Build();
app.MapHealth();
app.MapFunctionInvocations();
return await app.RunAskelAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
