namespace Needlework.Web.Tests.Data;

/// <summary>Migrations on SQLite, the embedded default.</summary>
public sealed class SqliteMigrationTests : MigrationTestsBase
{
    protected override TestDatabase NewDatabase() => new(null);
}
