package dev.mmh.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Calls the private natives of a JNI binding past its Java checks, to hold the C to its own: a bad argument there
 * must come back as a Java exception thrown by the C, never reach memory.
 */
public final class NativeCalls {
    private NativeCalls() {
    }

    /** The private static native {@code name} of {@code binding}, made callable. */
    public static Method privateNative(Class<?> binding, String name, Class<?>... parameters)
            throws NoSuchMethodException {
        Method m = binding.getDeclaredMethod(name, parameters);
        m.setAccessible(true);
        return m;
    }

    /** Calls {@code m} and checks that the C threw a {@code type} whose message starts with {@code prefix}. */
    public static void assertThrowsFromC(Class<? extends Throwable> type, String prefix, Method m, Object... args) {
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> m.invoke(null, args),
                Arrays.toString(args));
        assertEquals(type, e.getCause().getClass(), String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().startsWith(prefix), e.getCause().getMessage());
    }
}
