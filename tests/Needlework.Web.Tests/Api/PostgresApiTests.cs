using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Api;

/// <summary>The API suite on a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTests(PostgresServer postgres, FactoryHolder holder)
    : ApiTestsBase(holder.Get(() => new WebUiFactory(postgres))), IClassFixture<FactoryHolder>;
