using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Data;

/// <summary>Migrations on a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresServer postgres) : MigrationTestsBase
{
    protected override TestDatabase NewDatabase() => new(postgres);
}
