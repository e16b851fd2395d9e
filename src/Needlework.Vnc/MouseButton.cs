namespace Needlework.Vnc;

/// <summary>Pointer buttons as RFB numbers them (button n is bit n-1 of the button mask).</summary>
public enum MouseButton
{
    Left = 1,
    Middle = 2,
    Right = 3,
}
