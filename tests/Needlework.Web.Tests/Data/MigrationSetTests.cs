using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Needlework.Web.Data;

namespace Needlework.Web.Tests.Data;

/// <summary>The two engines' migration sets, as `dotnet ef` sees them (through the design-time factories).</summary>
public sealed partial class MigrationSetTests
{
    [GeneratedRegex("^[0-9]{14}_")]
    private static partial Regex Timestamp();

    [Fact]
    public void EveryMigrationExistsForBothEngines()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        var sqliteNames = sqlite.Database.GetMigrations().Select(m => Timestamp().Replace(m, string.Empty)).ToList();
        var postgresNames = postgres.Database.GetMigrations().Select(m => Timestamp().Replace(m, string.Empty)).ToList();
        Assert.NotEmpty(sqliteNames);
        Assert.Equal(sqliteNames, postgresNames);
    }
}
