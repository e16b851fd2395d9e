namespace Needlework.Runner.Backends;

/// <summary>
/// Why the SUT ended unexpectedly: <see cref="Reason"/> is the job's human reason text as openQA words it,
/// the other fields feed the structured <c>backend</c> field the worker reports.
/// </summary>
/// <param name="Reason">The job reason, e.g. <c>backend died: QEMU exited unexpectedly, see log for details</c>.</param>
/// <param name="Component">Which part failed, e.g. <c>qemu</c>.</param>
/// <param name="Detail">What was observed (exit code, signal), for the log and the structured field; never part of the reason.</param>
public sealed record BackendFailure(string Reason, string Component, string Detail)
{
    public const string QemuDiedReason = "backend died: QEMU exited unexpectedly, see log for details";

    public static BackendFailure QemuDied(string detail) => new(QemuDiedReason, "qemu", detail);
}
