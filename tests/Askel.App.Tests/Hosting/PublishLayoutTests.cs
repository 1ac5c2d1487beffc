using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Askel.Runtime.Storage;
using Askel.Testing;

namespace Askel.App.Tests.Hosting;

/// <summary>
/// scripts/publish.sh produces what the Functions host deploys for an isolated worker: host.json, the Worker SDK's
/// functions.metadata and worker.config.json, the Durable extension for the host, and askel.dll — which, started
/// without a host, serves that same functions.metadata.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishLayoutTests : IDisposable
{
    private readonly string _out = Path.Combine(Directory.CreateTempSubdirectory("askel-publish-").FullName, "functionapp");

    [Fact]
    public async Task Publish_FolderAndZip_HoldTheIsolatedWorkerAndItsMetadata_AndRunWithoutAHost()
    {
        var publish = Process.Start(new ProcessStartInfo(Repository.Path("scripts", "publish.sh"), [_out]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        Assert.True(publish.ExitCode == 0, log);

        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        var entry = description.GetProperty("defaultWorkerPath").GetString()!;
        Assert.True(File.Exists(Path.Combine(_out, entry)), $"{entry} is missing");
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "host.json")));
        Assert.False(host.RootElement.TryGetProperty("customHandler", out _));
        Assert.Equal(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")).ReplaceLineEndings(),
            File.ReadAllText(Path.Combine(_out, "functions.metadata")).ReplaceLineEndings());
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(_out, ".azurefunctions"), "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll"));
        Assert.True(File.Exists(Path.Combine(_out, "workflows", "participant-lifecycle.yaml")));
        using (var zip = ZipFile.OpenRead(_out + ".zip"))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            var files = Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_out, f).Replace('\\', '/'));
            Assert.Equal(files.Order(), entries.Order());
        }

        var port = AzuritePorts.Free().Blob;
        await using var askel = AskelProcess.Start(Path.Combine(_out, entry), _out, new Dictionary<string, string>
        {
            ["Askel__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzureWebJobsStorage"] = (await Azurite.AccountAsync()).ConnectionString,
        });
        await askel.RunningAsync();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"))).StatusCode);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_out)!, recursive: true);
}
