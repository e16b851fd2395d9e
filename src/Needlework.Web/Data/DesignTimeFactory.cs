using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Needlework.Web.Data;

/// <summary>Builds an engine's context for `dotnet ef`, configured as the web UI configures it; adding a migration opens no database.</summary>
internal abstract class DesignTimeFactory<TContext>(IDatabaseProvider provider, Func<DbContextOptions<TContext>, TContext> create)
    : IDesignTimeDbContextFactory<TContext>
    where TContext : NeedleworkDbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        provider.Configure(builder);
        return create(builder.Options);
    }
}
