namespace Needlework.Web.Tests.Infrastructure;

/// <summary>Test classes that share the one PostgreSQL server (each with its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
