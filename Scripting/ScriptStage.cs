namespace Slardar.Scriptable.Scripting;

/// <summary>Where in a request's flow a phase runs.</summary>
internal enum ScriptStage
{
    /// <summary>Once per request, in table order, before the upstream is called: may answer the request.</summary>
    Request,

    /// <summary>Once per request, after the request stage, when the host has such a script: produces the response instead of the proxy.</summary>
    Content,

    /// <summary>Once per try of the upstream call: chooses the peer.</summary>
    Try,

    /// <summary>Once per TCP session of a stream listener, before its connect: chooses where it goes, or refuses it.</summary>
    Connection,
}
