namespace Needlework.Imaging.Needles;

public enum NeedleAreaType
{
    /// <summary>Searched for on the screen; every match area must pass for the needle to match.</summary>
    Match,

    /// <summary>Counts as a match area for a needle's validity; text recognition is not done.</summary>
    Ocr,

    /// <summary>Painted green on screen and needle before searching, so changing content there is ignored.</summary>
    Exclude,
}
