namespace Needlework.Runner.Backends;

/// <summary>Power buttons of the SUT, with os-autoinst's meanings.</summary>
public enum PowerAction
{
    /// <summary>Pulls the plug: the SUT ends at once (QEMU <c>quit</c>). An orderly end, not a failure.</summary>
    Off,

    /// <summary>Presses the ACPI power button; the guest decides whether and when to shut down (QEMU <c>system_powerdown</c>).</summary>
    AcpiPowerDown,

    /// <summary>Hard reset (QEMU <c>system_reset</c>).</summary>
    Reset,
}
