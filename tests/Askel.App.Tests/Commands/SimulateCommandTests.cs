using Askel.App.Commands;
using Askel.Testing;

namespace Askel.App.Tests.Commands;

public sealed class SimulateCommandTests
{
    private static string Example => Repository.Path("workflows", "form-chase-example.yaml");

    [Fact]
    public async Task RunAsync_ExampleWith50Participants_PrintsEverySectionAndExitsZero()
    {
        var (code, output, error) = await RunAsync(Example, "--participants", "50", "--never-answer", "sms=50%,email=30%", "--answer-delay", "0-48h", "--task-outcome", "answered-by-phone=60%,unreachable=40%", "--seed", "2");

        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.Contains("sends per day", output, StringComparison.Ordinal);
        Assert.Matches(@"day +date +sms +email +total", output);
        Assert.Matches(@"\n +0 +Mon 2027-01-04 +\d+ +0 +\d+\n", output);
        Assert.Contains("\ntotals\n", output, StringComparison.Ordinal);
        Assert.Contains("\nfinal states\n", output, StringComparison.Ordinal);
        Assert.Contains("capture rate per form", output, StringComparison.Ordinal);
        Assert.Matches(@"example-feedback +asked +50 +answered +\d+ +\d+\.\d %", output);
        Assert.Matches(@"simulated 50 participants over 400 days in \d+\.\d s\n$", output);
    }

    [Fact]
    public async Task RunAsync_AnswerRatesAndEnrolmentOverWeeks_AsTheSimulationPageAsksThem()
    {
        // Nobody answers a message: every participant gets all three and a task; they start over two weeks.
        var (code, output, error) = await RunAsync(Example, "--participants", "14", "--answer-rate", "sms=0%,email=0%", "--enrolment-weeks", "2");

        Assert.True(code == 0, error);
        Assert.Matches(@"example-feedback +asked +14 +answered +0 +0\.0 %", output);
        Assert.Contains("messages 42 (sms 28, email 14), 14 coordinator tasks", output, StringComparison.Ordinal);
        Assert.Matches(@"\n +13 +Sun 2027-01-17 ", output); // 14 over 14 days: the last starts on day 13
    }

    [Theory]
    [InlineData(new string[0], "give a workflow")]
    [InlineData(new[] { "EXAMPLE", "--participants", "zero" }, "--participants 'zero'")]
    [InlineData(new[] { "EXAMPLE", "--bogus", "1" }, "unknown option '--bogus'")]
    [InlineData(new[] { "EXAMPLE", "--days" }, "--days needs a value")]
    [InlineData(new[] { "no-such-workflow" }, "there is no workflow")]
    public async Task RunAsync_BadArguments_ExitsTwoWithUsage(string[] args, string message)
    {
        var (code, output, error) = await RunAsync([.. args.Select(a => a == "EXAMPLE" ? Example : a)]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("usage: askel simulate", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--never-answer", "fax=10%", "'fax' is not a channel")]
    [InlineData("--task-outcome", "done=50%", "'done' is not an outcome")]
    [InlineData("--answer-delay", "soon", "--answer-delay 'soon'")]
    [InlineData("--answer-rate", "fax=10%", "'fax' is not a channel")]
    [InlineData("--answer-rate", "sms=120%", "'sms=120%' is more than 100%")]
    [InlineData("--enrolment-weeks", "60", "--enrolment-weeks 60 does not end before the run's 400 days do")]
    public async Task RunAsync_OptionsThatDoNotFitTheWorkflow_ExitsTwo(string option, string value, string message)
    {
        var (code, _, error) = await RunAsync(Example, option, value);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidWorkflow_ExitsOneWithItsErrors()
    {
        var folder = Directory.CreateTempSubdirectory("askel-simulate-");
        try
        {
            var file = Path.Combine(folder.FullName, "broken.yaml");
            await File.WriteAllTextAsync(file, "workflow: broken\nsteps:\n  first:\n    end: done\n    next: nowhere\n");

            var (code, output, error) = await RunAsync(file);

            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.Contains("is not a valid workflow", error, StringComparison.Ordinal);
            Assert.Contains("broken.yaml:", error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SimulateCommand.RunAsync(args, output, error);
        return (code, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString());
    }
}
