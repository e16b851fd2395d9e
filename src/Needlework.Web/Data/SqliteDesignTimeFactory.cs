namespace Needlework.Web.Data;

/// <summary>The SQLite context for `dotnet ef`.</summary>
internal sealed class SqliteDesignTimeFactory()
    : DesignTimeFactory<SqliteNeedleworkDbContext>(new SqliteDatabaseProvider("Data Source=needlework.db"), options => new(options));
