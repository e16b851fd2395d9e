namespace Needlework.Vnc.Input;

/// <summary>X11 keysyms to press in order and release in reverse order, e.g. Control_L, Alt_L, Delete.</summary>
public sealed record KeyCombo(IReadOnlyList<uint> Keysyms)
{
    public override string ToString() => string.Join("-", Keysyms.Select(k => $"0x{k:x}"));
}
