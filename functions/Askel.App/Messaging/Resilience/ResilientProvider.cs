namespace Askel.App.Messaging.Resilience;

/// <summary>How hard a provider is retried, and when its circuit opens.</summary>
public sealed record ResilienceOptions
{
    /// <summary>Attempts within one send (the first included).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The first backoff; each later one doubles (1 s, 2 s, 4 s …).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each backoff is moved by up to this fraction either way, so senders do not retry in step.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The longest <c>Retry-After</c> waited for within a send; longer, the runtime retries after its lease.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive passing failures that open the circuit.</summary>
    public int FailureThreshold { get; init; } = 5;

    /// <summary>How long an open circuit refuses sends before one trial may go through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Wraps a provider: a passing failure (429, 5xx, no answer) is tried again within the send, up to three
/// attempts with exponential backoff and jitter, honouring the provider's <c>Retry-After</c> when it is short;
/// a permanent failure is never retried. After five passing failures in a row the provider's circuit opens:
/// for a minute sends return a passing failure without calling it, then one trial goes through (half-open)
/// and its outcome closes or opens the circuit again.
/// </summary>
public sealed class ResilientProvider(IMessageProvider inner, TimeProvider time, ResilienceOptions? options = null, Func<double>? random = null) : IMessageProvider
{
    private readonly ResilienceOptions _options = options ?? new ResilienceOptions();
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private DateTimeOffset? _openUntil;
    private bool _trialInFlight;

    /// <inheritdoc />
    public string Name => inner.Name;

    /// <summary>Whether the circuit refuses sends now.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _openUntil is { } until && (time.GetUtcNow() < until || _trialInFlight);
            }
        }
    }

    /// <summary>Wraps <paramref name="provider"/>, except the local outbox (nothing to retry) and one already wrapped.</summary>
    public static IMessageProvider Wrap(IMessageProvider provider, TimeProvider time) =>
        provider is FileOutbox or ResilientProvider ? provider : new ResilientProvider(provider, time);

    /// <inheritdoc />
    public bool Serves(string channel) => inner.Serves(channel);

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        DeliveryResult result = new(DeliveryOutcome.Transient, Reason: "circuit open");
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (!TryEnter(out var trial))
            {
                return attempt == 1 ? new DeliveryResult(DeliveryOutcome.Transient, Reason: $"{inner.Name}: circuit open") : result;
            }

            try
            {
                result = await AttemptAsync(messageId, message, cancellationToken);
            }
            catch when (trial)
            {
                // Cancelled or failed unexpectedly: the trial says nothing, so the next send may try.
                lock (_lock)
                {
                    _trialInFlight = false;
                }

                throw;
            }

            var opened = Record(result.Outcome, trial);
            if (result.Outcome != DeliveryOutcome.Transient || opened || attempt == _options.MaxAttempts)
            {
                return result;
            }

            TimeSpan delay;
            if (result.RetryAfter is { } retryAfter)
            {
                if (retryAfter > _options.MaxRetryAfter)
                {
                    return result;
                }

                delay = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter;
            }
            else
            {
                var backoff = _options.BaseDelay * Math.Pow(2, attempt - 1);
                delay = backoff * (1 + (_options.Jitter * ((2 * _random()) - 1)));
            }

            await Task.Delay(delay, time, cancellationToken);
        }

        return result;
    }

    private async Task<DeliveryResult> AttemptAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.SendAsync(messageId, message, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new DeliveryResult(DeliveryOutcome.Transient, Reason: $"{inner.Name} did not answer");
        }
    }

    private bool TryEnter(out bool trial)
    {
        lock (_lock)
        {
            trial = false;
            if (_openUntil is not { } until)
            {
                return true;
            }

            if (time.GetUtcNow() < until || _trialInFlight)
            {
                return false;
            }

            // Half-open: this send is the one trial.
            _trialInFlight = true;
            trial = true;
            return true;
        }
    }

    /// <summary>Counts an outcome; true when it opened the circuit.</summary>
    private bool Record(DeliveryOutcome outcome, bool trial)
    {
        lock (_lock)
        {
            if (trial)
            {
                _trialInFlight = false;
            }

            if (outcome == DeliveryOutcome.Transient)
            {
                _consecutiveFailures++;
                if (trial || _consecutiveFailures >= _options.FailureThreshold)
                {
                    _openUntil = time.GetUtcNow() + _options.BreakDuration;
                    return true;
                }

                return false;
            }

            // The provider answered: a permanent failure is about the message, not the provider.
            _consecutiveFailures = 0;
            _openUntil = null;
            return false;
        }
    }
}
