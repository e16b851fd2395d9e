namespace Needlework.Video;

/// <summary>The built-in ffmpeg encodings; an external encoder command replaces them all.</summary>
public enum VideoCodec
{
    /// <summary>VP9 in WebM: the default, about 3x real time at 1024x768 with the realtime deadline.</summary>
    Vp9,

    /// <summary>VP8 in WebM.</summary>
    Vp8,

    /// <summary>Theora in Ogg, as os-autoinst's own video encoder writes (video.ogv).</summary>
    Theora,
}
