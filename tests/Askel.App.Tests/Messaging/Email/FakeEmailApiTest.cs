using Azure.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Askel.App.Tests.Messaging.Email;

/// <summary>
/// A test of the real email providers: per test a <see cref="FakeEmailApi"/> to send to, a virtual clock, and the
/// providers' services from <see cref="ProviderServices"/>, disposed after the test.
/// </summary>
public abstract class FakeEmailApiTest : IAsyncLifetime
{
    private ServiceProvider? _services;

    /// <summary>The providers' clock.</summary>
    protected ObservedClock Clock { get; } = new();

    /// <summary>The fake SendGrid and Graph API of this test.</summary>
    protected FakeEmailApi Api { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Api = await FakeEmailApi.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await Api.DisposeAsync();
    }

    /// <summary>The providers sending to <see cref="Api"/> on <see cref="Clock"/>; the last one built is disposed with the test.</summary>
    protected ServiceProvider ProviderServices(TokenCredential graphCredential, Dictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null) =>
        _services = Api.ProviderServices(Clock, graphCredential, overrides, configure);
}
