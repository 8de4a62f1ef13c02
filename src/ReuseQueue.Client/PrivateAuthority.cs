using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ReuseQueue.Client;

/// <summary>Validates a server's TLS certificate against one certificate authority read from a PEM file.</summary>
public static class PrivateAuthority
{
    /// <summary>
    /// Returns a callback that accepts a certificate the system trusts, or one whose chain ends at the
    /// authority in <paramref name="caFile"/>. A wrong host name is rejected either way.
    /// </summary>
    /// <param name="variable">The setting that named the file, for the error message.</param>
    public static RemoteCertificateValidationCallback Validator(string caFile, string variable)
    {
        X509Certificate2 authority;
        try
        {
            authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
        }
        catch (Exception exception) when (exception is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArgumentException(
                $"{variable} names '{caFile}', which is not a readable PEM certificate ({exception.Message}).", exception);
        }

        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var serverCertificate = new X509Certificate2(certificate);
            return chain.Build(serverCertificate);
        };
    }
}
