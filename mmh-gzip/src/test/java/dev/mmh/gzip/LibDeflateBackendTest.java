package dev.mmh.gzip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The backend contract on libdeflate (skipped where its library was not built or did not load). */
class LibDeflateBackendTest extends DeflateBackendContractTest {
    @Override
    DeflateBackend backend() {
        DeflateBackend b = DeflateBackend.libdeflate();
        assumeTrue(b != null, "libdeflate binding not loaded: " + LibDeflate.loadError());
        return b;
    }

    @Override
    boolean acceptsHeapBuffers() {
        return false;
    }
}
