using Microsoft.EntityFrameworkCore;

namespace Needlework.Web.Data;

/// <summary>PostgreSQL by connection string, for installations with many workers.</summary>
public sealed class PostgresDatabaseProvider(string connectionString) : IDatabaseProvider
{
    public string Name => "postgres";

    public void Configure(DbContextOptionsBuilder builder) => builder.UseNpgsql(connectionString);

    public async Task InitialiseAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }
}
