package dev.mmh.gzip;

/** The backend contract on the JDK's zlib, the fallback where libdeflate is missing. */
class JdkZlibBackendTest extends DeflateBackendContractTest {
    @Override
    DeflateBackend backend() {
        return DeflateBackend.jdk();
    }

    @Override
    boolean acceptsHeapBuffers() {
        return true;
    }
}
