package dev.mmh.store.s3;

/** The store contract against s3proxy (file-system backend), a process on loopback. */
class S3ProxyStoreTest extends S3ContractBase {
    @Override
    S3Servers.Server server() throws Exception {
        return S3Servers.s3proxy();
    }

    @Override
    protected boolean atomicPutIfAbsent() {
        return true;
    }
}
