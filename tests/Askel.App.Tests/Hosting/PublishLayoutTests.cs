using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Askel.Runtime.Storage;
using Askel.Testing;

namespace Askel.App.Tests.Hosting;

/// <summary>scripts/publish.sh produces what the Functions host deploys: host.json, function folders, a self-contained executable.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishLayoutTests : IDisposable
{
    private readonly string _out = Path.Combine(Directory.CreateTempSubdirectory("askel-publish-").FullName, "functionapp");

    [Fact]
    public async Task Publish_FolderAndZip_HoldHostJsonFunctionFoldersAndRunnableExecutable()
    {
        var publish = Process.Start(new ProcessStartInfo(Repository.Path("scripts", "publish.sh"), [_out]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        Assert.True(publish.ExitCode == 0, log);

        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "host.json")));
        var handler = host.RootElement.GetProperty("customHandler");
        var executable = handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.True(File.GetUnixFileMode(Path.Combine(_out, executable)).HasFlag(UnixFileMode.UserExecute));
        foreach (var source in Directory.EnumerateDirectories(Repository.Path("functions", "Askel.App", "Triggers")))
        {
            Assert.True(File.Exists(Path.Combine(_out, Path.GetFileName(source), "function.json")), $"{Path.GetFileName(source)}/function.json is missing");
        }

        Assert.True(File.Exists(Path.Combine(_out, "libhostfxr.so")), "the runtime travels with the app: no framework needed on the host");
        using (var zip = ZipFile.OpenRead(_out + ".zip"))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            var files = Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_out, f).Replace('\\', '/'));
            Assert.Equal(files.Order(), entries.Order());
            var mode = (UnixFileMode)((zip.GetEntry(executable)!.ExternalAttributes >> 16) & 0x1FF);
            Assert.True(mode.HasFlag(UnixFileMode.UserExecute), "the zipped executable lost its run bit");
        }

        var port = AzuritePorts.Free().Blob;
        await using var askel = AskelProcess.Start(Path.Combine(_out, executable), _out, new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzureWebJobsStorage"] = (await Azurite.AccountAsync()).ConnectionString,
        });
        await askel.RunningAsync();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"))).StatusCode);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_out)!, recursive: true);
}
