using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Scheduling;

public sealed class SqliteWorkerProtocolTests(FactoryHolder holder)
    : WorkerProtocolTestsBase(holder.Get(() => new WebUiFactory(extra: Settings))), IClassFixture<FactoryHolder>;
