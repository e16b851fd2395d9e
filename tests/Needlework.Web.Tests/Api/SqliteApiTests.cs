using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Api;

/// <summary>The API suite on SQLite, the embedded default.</summary>
public sealed class SqliteApiTests(FactoryHolder holder) : ApiTestsBase(holder.Get(() => new WebUiFactory())), IClassFixture<FactoryHolder>;
