using System.Collections.Concurrent;

namespace Needlework.Web.Auth;

/// <summary>
/// Remembers accepted request signatures for the timestamp window so the same signed request cannot be
/// sent twice. openQA's hash covers only path, query and time, so the body digest is part of the key:
/// two different POSTs in the same second are both accepted, a copy of one is not.
/// </summary>
public sealed class ReplayGuard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private DateTimeOffset nextPrune = DateTimeOffset.MinValue;

    /// <summary>Records the signature; false when it was already used within its validity.</summary>
    public bool TryUse(string signature, TimeSpan validity)
    {
        var now = time.GetUtcNow();
        if (now >= nextPrune)
        {
            nextPrune = now + TimeSpan.FromSeconds(30);
            foreach (var (key, expiry) in seen)
            {
                if (expiry < now)
                {
                    seen.TryRemove(key, out _);
                }
            }
        }

        return seen.TryAdd(signature, now + validity);
    }
}
