using System.Text.Json;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>An asynchronous QMP event (SHUTDOWN, STOP, RESUME, RESET, POWERDOWN, ...).</summary>
/// <param name="Name">The event name as QEMU sends it.</param>
/// <param name="Timestamp">QEMU's own wall-clock time of the event.</param>
/// <param name="Data">The event's <c>data</c> object, or an undefined element when it has none.</param>
public sealed record QmpEvent(string Name, DateTimeOffset Timestamp, JsonElement Data)
{
    /// <summary>For SHUTDOWN: true when the guest itself powered off, false when the host asked (quit, signal).</summary>
    public bool IsGuestInitiated =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("guest", out var guest) && guest.ValueKind == JsonValueKind.True;

    /// <summary>For SHUTDOWN and RESET: QEMU's reason word (guest-shutdown, host-qmp-quit, host-signal, ...).</summary>
    public string? Reason =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
            ? reason.GetString()
            : null;
}
