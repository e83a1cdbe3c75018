using System.Net;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Consul could not be asked, or answered with an error. Names the agent address last tried and,
/// when there was an answer, its HTTP status.
/// </summary>
internal sealed class ConsulException : Exception
{
    public ConsulException(string message, Uri? address, HttpStatusCode? status, Exception? innerException = null)
        : base(message, innerException)
    {
        Address = address;
        Status = status;
    }

    public ConsulException()
    {
    }

    public ConsulException(string message)
        : base(message)
    {
    }

    public ConsulException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Uri? Address { get; }

    public HttpStatusCode? Status { get; }
}
