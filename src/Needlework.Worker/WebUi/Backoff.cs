namespace Needlework.Worker.WebUi;

/// <summary>Exponential backoff with jitter between a minimum and a maximum; reset after a success.</summary>
public sealed class Backoff(TimeSpan minimum, TimeSpan maximum)
{
    private int failures;

    public int Failures => failures;

    /// <summary>The wait before the next attempt: minimum x 2^(failures-1), at most maximum, plus up to 20 % jitter so a fleet does not reconnect in step.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(failures, 16);
        failures++;
        var wait = Math.Min(minimum.TotalMilliseconds * Math.Pow(2, exponent), maximum.TotalMilliseconds);
        var jitter = wait * 0.2 * Random.Shared.NextDouble();
        return TimeSpan.FromMilliseconds(Math.Min(wait + jitter, Math.Max(maximum.TotalMilliseconds, minimum.TotalMilliseconds)));
    }

    public void Reset() => failures = 0;
}
