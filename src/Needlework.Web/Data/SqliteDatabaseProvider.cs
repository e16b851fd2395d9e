using Microsoft.EntityFrameworkCore;

namespace Needlework.Web.Data;

/// <summary>The embedded default: one SQLite file in the data directory, in WAL mode so readers never wait for the scheduler.</summary>
public sealed class SqliteDatabaseProvider(string connectionString) : IDatabaseProvider
{
    public string Name => "sqlite";

    public void Configure(DbContextOptionsBuilder builder) => builder.UseSqlite(connectionString);

    public async Task InitialiseAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.EnsureCreatedAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
