using Microsoft.EntityFrameworkCore;

namespace Needlework.Web.Data;

/// <summary>The model on PostgreSQL; its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresNeedleworkDbContext(DbContextOptions<PostgresNeedleworkDbContext> options) : NeedleworkDbContext(options);
