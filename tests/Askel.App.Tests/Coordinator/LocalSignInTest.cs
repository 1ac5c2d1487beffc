using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// A coordinator-pages test: per test a fresh app on Azurite (<see cref="Factory"/>, its clock, data and logs)
/// and that app with the local sign-in on (<see cref="App"/>), which <see cref="SignInAsync"/> signs in to.
/// </summary>
public abstract class LocalSignInTest(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The test's output.</summary>
    protected ITestOutputHelper Output { get; } = output;

    /// <summary>The app's factory: its virtual clock, data folder, logs and services.</summary>
    protected AskelAppFactory Factory { get; private set; } = null!;

    /// <summary>The app with the local sign-in on.</summary>
    protected WebApplicationFactory<Program> App { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Factory = await AskelAppFactory.CreateAsync(Output);
        App = Factory.WithWebHostBuilder(builder => builder.UseSetting("Askel:LocalSignIn", "true"));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Factory.DisposeAsync();
    }

    /// <summary>A client that keeps cookies, signed in locally to <see cref="App"/> as <paramref name="user"/>.</summary>
    protected Task<HttpClient> SignInAsync(string user) => CoordinatorBrowser.SignInAsync(App, user);
}
