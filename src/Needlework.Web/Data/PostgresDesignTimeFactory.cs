namespace Needlework.Web.Data;

/// <summary>The PostgreSQL context for `dotnet ef`; no server is needed to add a migration.</summary>
internal sealed class PostgresDesignTimeFactory()
    : DesignTimeFactory<PostgresNeedleworkDbContext>(new PostgresDatabaseProvider("Host=localhost;Database=needlework"), options => new(options));
