package dev.mmh.store.s3;

/**
 * The store contract against Adobe S3Mock, a process on loopback. S3Mock 5.2.0 honours {@code If-None-Match: *}
 * (a second conditional PUT of a name gets 412) but not atomically: of writers racing on one name, several succeed
 * (seen here: 3 of 6 in one round), so the racing-writers test holds it only to "one writer's bytes, whole", and the
 * store, which cannot tell, reports the conditional put as atomic.
 */
class S3MockStoreTest extends S3ContractBase {
    @Override
    S3Servers.Server server() throws Exception {
        return S3Servers.s3mock();
    }

    @Override
    protected boolean atomicPutIfAbsent() {
        return false;
    }

    @Override
    protected boolean reportsAtomicPutIfAbsent() {
        return true;
    }
}
