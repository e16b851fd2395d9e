namespace Needlework.Web.Data;

/// <summary>What starting the database did: the migrations it applied, and the migration an unversioned database was adopted at.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, string? AdoptedAt);
