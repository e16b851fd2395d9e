using Microsoft.EntityFrameworkCore;

namespace Needlework.Web.Data;

/// <summary>One seam per database engine (jellyfin's shape): how to configure EF Core and prepare the store.</summary>
public interface IDatabaseProvider
{
    string Name { get; }

    void Configure(DbContextOptionsBuilder builder);

    Task InitialiseAsync(NeedleworkDbContext db, CancellationToken cancellationToken);
}
