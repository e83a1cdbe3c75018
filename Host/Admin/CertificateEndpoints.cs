using System.Globalization;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// TLS certificates: <c>POST|PUT /cert/&lt;name&gt;</c> <c>{"cert", "key", "hosts"}</c>, <c>GET /certs</c>,
/// <c>GET /cert/&lt;name&gt;</c>, <c>DELETE /cert/&lt;name&gt;</c>, <c>GET /cert/&lt;name&gt;/versions</c>,
/// <c>POST /cert/&lt;name&gt;/rollback?version=n</c>. Private keys go in and never come out.
/// </summary>
internal static class CertificateEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/certs", (CertificateCatalog catalog, CertificateFileWatcher files, TimeProvider time) =>
        {
            var list = new JsonArray();
            foreach (var certificate in catalog.Current.All)
            {
                list.Add(Describe(certificate, time.GetUtcNow()));
            }

            var errors = new JsonObject();
            foreach (var (name, error) in catalog.LoadErrors)
            {
                errors[name] = error;
            }

            foreach (var (name, error) in files.Errors)
            {
                if (error is not null)
                {
                    errors[name] = error;
                }
            }

            return AdminJson.Document(new JsonObject { ["certificates"] = list, ["errors"] = errors });
        });

        app.MapGet("/cert/{name}", (string name, CertificateCatalog catalog, TimeProvider time) =>
            catalog.Current.Find(name) is { } certificate
                ? AdminJson.Document(Describe(certificate, time.GetUtcNow(), withPem: true))
                : AdminJson.Error(404, $"certificate {name} not found"));

        app.MapMethods("/cert/{name}", ["POST", "PUT"], async (string name, HttpContext context, CertificateCatalog catalog, GatewaySettings settings, ConsulIntegration consul) =>
        {
            var (body, error) = await AdminRequestBody.ReadAsync(context.Request);
            if (body is null)
            {
                return AdminJson.Error(400, error!);
            }

            var request = CertificateRequest.Parse(body, sealedKey: false, out error);
            if (request is null)
            {
                return AdminJson.Error(400, error!);
            }

            var actor = UpstreamEndpoints.Actor(context);
            if (consul.Writes is not { } writes)
            {
                return Answer(catalog.Apply(name, request, StoreOrigins.Api, actor));
            }

            // Through Consul every gateway must open the key: only a configured protection key is shared.
            if (!settings.Certificates.KeyConfigured)
            {
                return AdminJson.Error(400, "Consul is configured but Certificates:ProtectionKey is not: set the same key on every gateway so they can open replicated keys");
            }

            var parsed = catalog.Validate(name, request, StoreOrigins.Api);
            if (parsed.Certificate is not { } certificate)
            {
                return AdminJson.Error(parsed.IsConflict ? 409 : 400, parsed.Error!);
            }

            var value = catalog.ReplicatedValue(certificate, request.Key!);
            certificate.Leaf.Dispose();
            var outcome = await writes.PutAsync(consul.Layout.CertificateKey(name), value, actor, context.RequestAborted);
            return ConsulWriteAnswers.For(outcome, () => new JsonObject { ["version"] = catalog.Current.Find(name)?.Version });
        });

        app.MapDelete("/cert/{name}", async (string name, HttpContext context, CertificateCatalog catalog, ConsulIntegration consul) =>
        {
            var stored = catalog.Current.Find(name)?.Name ?? name;
            if (consul.Writes is { } writes && writes.Holds(consul.Layout.CertificateKey(stored)))
            {
                return ConsulWriteAnswers.For(await writes.DeleteAsync(consul.Layout.CertificateKey(stored), UpstreamEndpoints.Actor(context), context.RequestAborted));
            }

            return Answer(catalog.Delete(name, StoreOrigins.Api, UpstreamEndpoints.Actor(context)));
        });

        app.MapMethods("/cert/{name}", ["PATCH", "HEAD", "OPTIONS"], () => AdminJson.Error(405, "method not allowed"));

        // History and rollback, shaped as /upstream/<name>/versions and /rollback; the versions hold the chain and hosts, never a key.
        app.MapGet("/cert/{name}/versions", (string name, CertificateCatalog catalog) =>
        {
            var versions = catalog.Versions(name);
            if (versions.Count == 0)
            {
                return AdminJson.Error(404, $"certificate {name} has no history");
            }

            var list = new JsonArray();
            foreach (var version in versions)
            {
                list.Add(UpstreamEndpoints.VersionJson(version));
            }

            return AdminJson.Document(new JsonObject { ["name"] = name, ["versions"] = list });
        });

        app.MapPost("/cert/{name}/rollback", async (string name, string? version, HttpContext context, CertificateCatalog catalog, GatewaySettings settings, ConsulIntegration consul) =>
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return AdminJson.Error(400, "rollback needs ?version=<n> with n >= 1 (see GET /cert/<name>/versions)");
            }

            return await ChangeRouting.PutAsync(
                consul,
                context,
                prepare: () => Task.FromResult(PreparedRollback(catalog, name, number, settings, consul.Layout)),
                applyHere: () => Task.FromResult(Answer(catalog.Rollback(name, number, UpstreamEndpoints.Actor(context)))));
        });
    }

    /// <summary>Through Consul a rollback is the old chain, hosts and sealed key written again; checked here first.</summary>
    private static PreparedChange PreparedRollback(CertificateCatalog catalog, string name, int version, GatewaySettings settings, ConsulKvLayout layout)
    {
        if (!settings.Certificates.KeyConfigured)
        {
            return PreparedChange.Refused(AdminJson.Error(400, "Consul is configured but Certificates:ProtectionKey is not: set the same key on every gateway so they can open replicated keys"));
        }

        var (request, prepared) = catalog.PrepareRollback(name, version);
        if (prepared.Certificate is not { } certificate)
        {
            return PreparedChange.Refused(AdminJson.Error(prepared.IsConflict ? 409 : 400, prepared.Error!));
        }

        var value = CertificateCatalog.ReplicatedRollbackValue(certificate, request!.SealedKey!);
        certificate.Leaf.Dispose();
        return new PreparedChange(layout.CertificateKey(name), value, null, () => new JsonObject { ["version"] = catalog.Current.Find(name)?.Version });
    }

    /// <summary>What /certs, /status and the UI show of a certificate: names, dates, origin; never the key.</summary>
    public static JsonObject Describe(ServedCertificate certificate, DateTimeOffset now, bool withPem = false)
    {
        var json = new JsonObject
        {
            ["name"] = certificate.Name,
            ["hosts"] = new JsonArray([.. certificate.Hosts.Select(h => (JsonNode)JsonValue.Create(h))]),
            ["subject"] = certificate.Subject,
            ["issuer"] = certificate.Issuer,
            ["sans"] = new JsonArray([.. certificate.DnsNames.Select(h => (JsonNode)JsonValue.Create(h))]),
            ["not_before"] = certificate.NotBefore.ToString("O", CultureInfo.InvariantCulture),
            ["not_after"] = certificate.NotAfter.ToString("O", CultureInfo.InvariantCulture),
            ["expires_in_days"] = Math.Round((certificate.NotAfter - now).TotalDays, 1),
            ["expiring"] = certificate.ExpiresWithin(CertificateLimits.ExpiryWarning, now),
            ["expired"] = certificate.NotAfter <= now,
            ["sha256"] = certificate.Thumbprint,
            ["origin"] = certificate.Origin,
            ["version"] = certificate.Version,
        };
        if (certificate.SourcePath is not null)
        {
            json["file"] = certificate.SourcePath;
        }

        if (withPem)
        {
            json["cert"] = certificate.CertificatePem;
        }

        return json;
    }

    private static IResult Answer(CertificateChangeResult result) => result.Accepted
        ? AdminJson.Ok(new JsonObject { ["version"] = result.Version })
        : AdminJson.Error(result.Status, result.Error!);
}
