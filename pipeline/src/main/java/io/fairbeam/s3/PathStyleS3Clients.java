package io.fairbeam.s3;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3 clients that name the bucket in the path ({@code http://host:9000/bucket/key}) instead of the
 * host name, for S3-compatible stores (MinIO, Ceph, S3Proxy) reached through {@code --endpoint}.
 * Beam's default client addresses {@code bucket.host}, which such a store's host name rarely
 * resolves. Chosen with {@code --s3ClientFactoryClass=io.fairbeam.s3.PathStyleS3Clients}; all other
 * settings (region, credentials, endpoint) are Beam's.
 */
public final class PathStyleS3Clients implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
