using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Needlework.Web.Data;

namespace Needlework.Web.Auth;

/// <summary>Creates and lists API keys; `needlework admin create-key` calls <see cref="CreateAsync"/>.</summary>
public sealed class ApiKeyService(NeedleworkDbContext db, TimeProvider time)
{
    /// <summary>Creates a key and secret (16 hex digits each, as openQA makes them).</summary>
    public async Task<ApiKey> CreateAsync(string user, TimeSpan? lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var now = time.GetUtcNow();
        var key = new ApiKey
        {
            Key = RandomHex(),
            Secret = RandomHex(),
            User = user,
            TCreated = now,
            TExpiration = lifetime is { } l ? now + l : null,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public Task<ApiKey?> FindAsync(string key, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Key == key, cancellationToken);

    private static string RandomHex() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
}
