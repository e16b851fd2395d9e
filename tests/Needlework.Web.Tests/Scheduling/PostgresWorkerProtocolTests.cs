using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Scheduling;

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkerProtocolTests(PostgresServer postgres, FactoryHolder holder)
    : WorkerProtocolTestsBase(holder.Get(() => new WebUiFactory(postgres, Settings))), IClassFixture<FactoryHolder>;
