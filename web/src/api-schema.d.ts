// Types of the ODStat HTTP API (/api/v1), generated from its OpenAPI document by
// `npm run api:types` (scripts/api-types.ts, openapi-typescript). Do not edit by hand: change the
// route schemas in server/ and run it again; a test fails while this file is stale.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "ok" | "unavailable";
                            checks?: {
                                [key: string]: "ok" | string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "ok" | "unavailable";
                            checks?: {
                                [key: string]: "ok" | string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "ok" | "unavailable";
                            checks?: {
                                [key: string]: "ok" | string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/csrf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A CSRF token for this browser and session
         * @description Sets the CSRF cookie if needed. Send the token as X-CSRF-Token on sign-in and on every POST, PUT, PATCH and DELETE.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE. Bound to the session it was issued for. */
                            csrfToken: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is signed in, with a CSRF token for this session
         * @description 401 when no one is signed in and the public view is off.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description null in the public view (no one signed in). */
                            user: {
                                email: string;
                                name: string;
                                /** @description admin, analyst (health department), commander (police), partner (other agencies), public (no account). */
                                role: "admin" | "analyst" | "commander" | "partner" | "public";
                                agency: string;
                            } | null;
                            /** @description admin, analyst (health department), commander (police), partner (other agencies), public (no account). */
                            role: "admin" | "analyst" | "commander" | "partner" | "public";
                            agency: string | null;
                            /** @description Absolute end of the session; it also ends after a period without requests. */
                            expiresAt: string | null;
                            /** @description Whether the server serves the public view to anyone not signed in. */
                            publicView: boolean;
                            /** @description Send as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE. Bound to the session it was issued for. */
                            csrfToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password
         * @description Needs X-CSRF-Token from GET /api/v1/auth/csrf. Sets the session cookie and answers like /auth/me, with a new CSRF token for the session. 5 failed attempts on one email within 15 minutes lock it for that long (429); more than 10 attempts a minute from one address are refused (429).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description null in the public view (no one signed in). */
                            user: {
                                email: string;
                                name: string;
                                /** @description admin, analyst (health department), commander (police), partner (other agencies), public (no account). */
                                role: "admin" | "analyst" | "commander" | "partner" | "public";
                                agency: string;
                            } | null;
                            /** @description admin, analyst (health department), commander (police), partner (other agencies), public (no account). */
                            role: "admin" | "analyst" | "commander" | "partner" | "public";
                            agency: string | null;
                            /** @description Absolute end of the session; it also ends after a period without requests. */
                            expiresAt: string | null;
                            /** @description Whether the server serves the public view to anyone not signed in. */
                            publicView: boolean;
                            /** @description Send as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE. Bound to the session it was issued for. */
                            csrfToken: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out: the session ends on the server, and its cookie is cleared
         * @description Needs X-CSRF-Token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, newest first (administrators only)
         * @description Every data request, sign-in and administrative action: who, role, agency, endpoint, parameters, status, rows returned, when. Page with "before".
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description The "next" of the previous page: entries older than this id. */
                    before?: number;
                    userId?: number;
                    action?: string;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Newest first. */
                            entries: {
                                id: number;
                                /** Format: date-time */
                                at: string;
                                userId: number | null;
                                actor: string | null;
                                role: string;
                                agency: string | null;
                                action: string;
                                endpoint: string | null;
                                params: {
                                    [key: string]: unknown;
                                };
                                status: number | null;
                                rowsReturned: number | null;
                                ip: string | null;
                            }[];
                            /** @description Pass as "before" for the next page; null on the last. */
                            next: number | null;
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jurisdictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Jurisdictions configured on this server */
        get: {
            parameters: {
                query?: {
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdictions: {
                                /** @example nyc */
                                id: string;
                                name: string;
                                /** @description What one area is, e.g. "UHF 42 neighborhood". */
                                areaKind: string;
                                areaGroupKind: string | null;
                                areaCount: number;
                                /** @description True when the feeds are synthetic (the default city). */
                                synthetic: boolean;
                                syntheticNote: string | null;
                                /** @description First and last event date loaded for any feed; null before any load. */
                                dataRange: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    from: string;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    to: string;
                                } | null;
                                sources: {
                                    what: string;
                                    publisher: string;
                                }[];
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jurisdictions/{id}/areas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Area boundaries (GeoJSON, RFC 7946) with names and latest population */
        get: {
            parameters: {
                query?: {
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            type: "FeatureCollection";
                            features: {
                                /** @enum {string} */
                                type: "Feature";
                                id: string;
                                properties: {
                                    id: string;
                                    name: string;
                                    group: string | null;
                                    /** @description Latest population estimate. */
                                    population: number | null;
                                };
                                geometry: {
                                    type: string;
                                    coordinates: unknown[];
                                } & {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/indicators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The indicator catalog, with each definition and its version */
        get: {
            parameters: {
                query?: {
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            indicators: {
                                /** @example deaths.opioid */
                                id: string;
                                feed: string;
                                label: string;
                                /** @description What one counted event is, e.g. "deaths". */
                                unit: string;
                                /** @description The case definition, with the standard it comes from. */
                                definition: string;
                                definitionVersion: string;
                                /** @description Which location of the event areas can be assigned by. */
                                geographies: string[];
                                /** @description False until its feed has been loaded. */
                                available: boolean;
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/series": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Counts and crude rates of one indicator by area and period
         * @description One point per area and period, zero-filled. Periods cut by the requested range or by the end of the loaded data are marked partial. Rates are per 100,000 residents for the period, not annualised.
         */
        get: {
            parameters: {
                query: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @example deaths.opioid */
                    indicator: string;
                    /** @description Period length; weeks start on Monday (ISO 8601). */
                    interval?: "day" | "week" | "month" | "quarter" | "year";
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    from?: string;
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    to?: string;
                    /** @description Comma-separated area ids; omitted means every area. */
                    areas?: string;
                    /** @description Add the jurisdiction-wide series (area "total"). Default true. */
                    total?: boolean;
                    /** @description Assign events by residence of the person or by where the event happened. Default: the indicator's first geography (residence where it has one, as deaths do; event for feeds that record only where it happened). */
                    geography?: "residence" | "event";
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            indicator: string;
                            /** @description Period length; weeks start on Monday (ISO 8601). */
                            interval: "day" | "week" | "month" | "quarter" | "year";
                            geography: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            from: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            to: string;
                            definitionVersion: string;
                            synthetic: boolean;
                            periods: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                start: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                end: string;
                                /** @description The period is cut by the requested range or by the end of the loaded data. */
                                partial: boolean;
                            }[];
                            series: {
                                /** @description Area id, or "total" for the whole jurisdiction. */
                                area: string;
                                name: string;
                                points: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    period: string;
                                    /** @description null when suppressed or missing (see state) */
                                    count: number | null;
                                    /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                    state: "shown" | "suppressed" | "zero" | "missing";
                                    population: number | null;
                                    /** @description Crude rate per 100,000 residents for the period (not annualised); null without a population, or when the count is suppressed or missing. */
                                    rate: number | null;
                                }[];
                            }[];
                            /** @description Events in the range with no area (unknown or outside every area). Counted in "total", in no area. null when hidden for this role. */
                            unassigned: number | null;
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Crude or age-adjusted rates with 95% intervals, breakdowns, and change against the previous period and a year earlier
         * @description Rates per 100,000 person-years: population of the period's year × days covered ÷ days in that year. Crude: exact Poisson interval in its gamma form (Garwood 1936). Age-adjusted: direct method, 2000 U.S. standard population, 11 groups (NCHS Statistical Notes 20), Fay–Feuer gamma interval (Stat Med 1997), as epitools::ageadjust.direct; events of unknown age left out. Unreliable: fewer than 20 events (CDC WONDER). Change against the previous period and the same period a year earlier (364 days, 52 weeks, 12 months, 4 quarters): crude rates by the exact conditional test of two Poisson rates with the Clopper–Pearson interval of the rate ratio (R stats::poisson.test); age-adjusted rates by the NCHS z-test when both rest on 100 or more events, else by non-overlap of the 95% intervals.
         */
        get: {
            parameters: {
                query: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @example deaths.opioid */
                    indicator: string;
                    /** @description Period length; weeks start on Monday (ISO 8601). */
                    interval?: "day" | "week" | "month" | "quarter" | "year";
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    from?: string;
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    to?: string;
                    /** @description Comma-separated area ids; omitted means every area; "total" only the whole jurisdiction. */
                    areas?: string;
                    /** @description Place deaths (and treatment admissions) by residence (default) or by where the event happened. */
                    geography?: "residence" | "event";
                    /** @description crude (default): crude rates; age: age-adjusted by the direct method to the 2000 U.S. standard population, 11 groups. */
                    adjust?: "crude" | "age";
                    /** @description Split each area and period by sex, age group (2000 standard groups), race/ethnicity or drug category (deaths; a death counts in every category it involves). Which an indicator allows depends on its feed. */
                    breakdown?: "none" | "sex" | "age_group" | "race_ethnicity" | "substance";
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            indicator: string;
                            /** @description Period length; weeks start on Monday (ISO 8601). */
                            interval: "day" | "week" | "month" | "quarter" | "year";
                            geography: string;
                            adjust: string;
                            breakdown: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            from: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            to: string;
                            definitionVersion: string;
                            ageGroupVersion: string;
                            synthetic: boolean;
                            /** @description How rates, intervals and changes were computed, with sources. */
                            method: string;
                            population: {
                                /** @description The age structure of the denominators is modeled, not published (see note). */
                                ageModeled: boolean;
                                note: string | null;
                                source: string | null;
                            };
                            rateNote: string | null;
                            periods: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                start: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                end: string;
                                partial: boolean;
                                /** @description Days of the period covered by the request and the data (the person-time). */
                                days: number;
                            }[];
                            strata: string[];
                            series: {
                                /** @description Area id, or "total" for the whole jurisdiction. */
                                area: string;
                                name: string;
                                /** @description "all" without a breakdown. */
                                stratum: string;
                                points: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    period: string;
                                    count: number | null;
                                    /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                    state: "shown" | "suppressed" | "zero" | "missing";
                                    /** @description adjust=age: events of unknown age, left out of the adjusted rate. */
                                    ageUnknown: number | null;
                                    /** @description The denominator's population for the period's year (modeled by age where the jurisdiction says so). */
                                    population: number | null;
                                    personYears: number | null;
                                    /** @description Per 100,000 person-years (annualised). */
                                    rate: number | null;
                                    /** @description 95% interval: exact Poisson (gamma) for crude rates, Fay–Feuer gamma for age-adjusted ones. */
                                    lower: number | null;
                                    upper: number | null;
                                    /** @description Fewer than 20 events (CDC WONDER). */
                                    unreliable: boolean | null;
                                    /** @description adjust=age: the crude rate of the same cell. */
                                    crudeRate: number | null;
                                    previous: {
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        period: string;
                                        count: number | null;
                                        rate: number | null;
                                        countChange: number | null;
                                        rateChange: number | null;
                                        /** @description (rate − earlier rate) / earlier rate × 100; null when the earlier rate is 0. */
                                        percentChange: number | null;
                                        rateRatio: number | null;
                                        /** @description 95% interval of the rate ratio (crude rates: exact conditional, as R poisson.test). */
                                        lower: number | null;
                                        upper: number | null;
                                        /** @description Two-sided p-value of no change; null where the method gives none. */
                                        p: number | null;
                                        significant: boolean | null;
                                        method: string | null;
                                    } | null;
                                    yearAgo: {
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        period: string;
                                        count: number | null;
                                        rate: number | null;
                                        countChange: number | null;
                                        rateChange: number | null;
                                        /** @description (rate − earlier rate) / earlier rate × 100; null when the earlier rate is 0. */
                                        percentChange: number | null;
                                        rateRatio: number | null;
                                        /** @description 95% interval of the rate ratio (crude rates: exact conditional, as R poisson.test). */
                                        lower: number | null;
                                        upper: number | null;
                                        /** @description Two-sided p-value of no change; null where the method gives none. */
                                        p: number | null;
                                        significant: boolean | null;
                                        method: string | null;
                                    } | null;
                                }[];
                            }[];
                            /** @description Events with no area in the range (in "total" only); null when hidden. */
                            unassigned: number | null;
                            suppression: null | {
                                threshold: number;
                                /** @description The exact linear audit ran over the breakdown table. */
                                audited: boolean;
                                note: string;
                            };
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/linkage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Overdose deaths preceded by an arrest or jail release, a nonfatal EMS overdose or a treatment admission; unique overdose events
         * @description Deaths (deaths.any_drug) by area and period, and how many of them were preceded, 1 to W days before death, by an event of the same person (keyed hash) in another feed. Unique events: one person, one event across EMS overdose encounters and overdose deaths (N = 24 hours on calendar dates). Rules: sql/duckdb/definitions/linkage_metrics.sql.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @description Period length (calendar months, quarters, years). */
                    interval?: "month" | "quarter" | "year";
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    from?: string;
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    to?: string;
                    /** @description Comma-separated area ids; omitted means every area; "total" only the whole jurisdiction. */
                    areas?: string;
                    /** @description Place deaths (and treatment admissions) by residence (default) or by where the event happened. */
                    geography?: "residence" | "event";
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            /** @description Period length (calendar months, quarters, years). */
                            interval: "month" | "quarter" | "year";
                            geography: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            from: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            to: string;
                            definitionVersion: string;
                            synthetic: boolean;
                            definitions: {
                                linkage: string;
                                uniqueEvents: string;
                            };
                            periods: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                start: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                end: string;
                                partial: boolean;
                            }[];
                            /** @description Linked measures served to this role. */
                            measures: string[];
                            deaths: {
                                area: string;
                                name: string;
                                points: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    period: string;
                                    deaths: {
                                        count: number | null;
                                        /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                        state: "shown" | "suppressed" | "zero" | "missing";
                                    };
                                    linked: {
                                        [key: string]: {
                                            count: number | null;
                                            /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                            state: "shown" | "suppressed" | "zero" | "missing";
                                            /** @description count ÷ overdose deaths of the cell. */
                                            share: number | null;
                                            /** @description 95% Clopper–Pearson interval. */
                                            lower: number | null;
                                            upper: number | null;
                                        };
                                    };
                                }[];
                                /** @description The whole range (total row only; null when a period in it is hidden). */
                                summary: null | {
                                    deaths: {
                                        count: number | null;
                                        /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                        state: "shown" | "suppressed" | "zero" | "missing";
                                    };
                                    linked: {
                                        [key: string]: {
                                            count: number | null;
                                            /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                            state: "shown" | "suppressed" | "zero" | "missing";
                                            /** @description count ÷ overdose deaths of the cell. */
                                            share: number | null;
                                            /** @description 95% Clopper–Pearson interval. */
                                            lower: number | null;
                                            upper: number | null;
                                        };
                                    };
                                };
                            }[];
                            /** @description Unique overdose events (one person, one event), with the records they were made of. */
                            events: {
                                area: string;
                                name: string;
                                points: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    period: string;
                                    counts: {
                                        [key: string]: {
                                            count: number | null;
                                            /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                            state: "shown" | "suppressed" | "zero" | "missing";
                                        };
                                    };
                                }[];
                            }[];
                            suppression: null | {
                                thresholds: {
                                    [key: string]: number;
                                };
                                audited: boolean;
                                note: string;
                            };
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/performance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Harm-reduction performance: deflection ratio, naloxone administrations per EMS overdose, treatment admissions per nonfatal overdose
         * @description Rules: sql/duckdb/definitions/performance_metrics.sql. Shares with Clopper–Pearson 95% intervals; ratios of counts with the exact conditional interval of a ratio of Poisson means.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @description Period length (calendar months, quarters, years). */
                    interval?: "month" | "quarter" | "year";
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    from?: string;
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    to?: string;
                    /** @description Comma-separated area ids; omitted means every area; "total" only the whole jurisdiction. */
                    areas?: string;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            /** @description Period length (calendar months, quarters, years). */
                            interval: "month" | "quarter" | "year";
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            from: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            to: string;
                            definitionVersion: string;
                            synthetic: boolean;
                            definitions: {
                                [key: string]: string;
                            };
                            periods: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                start: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                end: string;
                                partial: boolean;
                            }[];
                            series: {
                                area: string;
                                name: string;
                                points: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    period: string;
                                    counts: {
                                        [key: string]: {
                                            count: number | null;
                                            /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                            state: "shown" | "suppressed" | "zero" | "missing";
                                        };
                                    };
                                    /** @description null value when a count it needs is hidden, or its denominator is 0. */
                                    ratios: {
                                        [key: string]: {
                                            value: number | null;
                                            lower: number | null;
                                            upper: number | null;
                                        };
                                    };
                                }[];
                            }[];
                            suppression: null | {
                                thresholds: {
                                    [key: string]: number;
                                };
                                audited: boolean;
                                note: string;
                            };
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Signals of one indicator by area: observed against expected, statistic, p-value, level
         * @description Runs one detector over the whole history of the indicator and reports the periods asked for, for every area and the whole jurisdiction. Levels are after Benjamini–Hochberg across the areas of each period (q = 0.05). Roles with a small-cell threshold get counts below it as null, flagged suppressed.
         */
        get: {
            parameters: {
                query: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @example ems.opioid_overdose */
                    indicator: string;
                    /** @description Daily: ears_c1, ears_c2, ears_c3 (EARS, surveillance::earsC; sd floor 1), essence (regression/EWMA switch), threshold (ODMAP-style: N or more in 24 h, N set per area). Weekly (complete ISO weeks): negbin (negative-binomial regression with trend and annual harmonics, 95% bound), farrington (Farrington flexible, b = 5, w = 3, alpha 0.05). */
                    method?: "ears_c1" | "ears_c2" | "ears_c3" | "essence" | "negbin" | "farrington" | "threshold";
                    /** @description The day (for weekly methods: the last complete week ending on or before it) to report, YYYY-MM-DD. Default: the latest day with data. */
                    date?: string;
                    /** @description Report every period ending from this day through "date" (at most 366 days; 26 weeks for negbin), YYYY-MM-DD. Default: "date" alone. */
                    from?: string;
                    /** @description Comma-separated area ids; "total" is the whole jurisdiction. Omitted: every area and the total. */
                    areas?: string;
                    /** @description Assign events by residence or by where they happened; default the indicator's first geography. */
                    geography?: "residence" | "event";
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            indicator: string;
                            /** @description Daily: ears_c1, ears_c2, ears_c3 (EARS, surveillance::earsC; sd floor 1), essence (regression/EWMA switch), threshold (ODMAP-style: N or more in 24 h, N set per area). Weekly (complete ISO weeks): negbin (negative-binomial regression with trend and annual harmonics, 95% bound), farrington (Farrington flexible, b = 5, w = 3, alpha 0.05). */
                            method: "ears_c1" | "ears_c2" | "ears_c3" | "essence" | "negbin" | "farrington" | "threshold";
                            cadence: "day" | "week";
                            geography: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            from: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            to: string;
                            dataRange: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                from: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                to: string;
                            } | null;
                            definitionVersion: string;
                            synthetic: boolean;
                            /** @description What red means for this method. */
                            alarm: string;
                            fdr: {
                                /** @enum {string} */
                                method: "Benjamini–Hochberg";
                                q: number;
                                family: string;
                            };
                            results: {
                                /** @description Area id, or "total" for the whole jurisdiction. */
                                area: string;
                                name: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                periodEnd: string;
                                /** @description null when suppressed for this role (see "state"). */
                                observed: number | null;
                                /** @description shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period. */
                                state: "shown" | "suppressed" | "zero" | "missing";
                                expected: number | null;
                                threshold: number | null;
                                statistic: number | null;
                                pValue: number | null;
                                pAdjusted: number | null;
                                /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                level: "red" | "yellow" | "none";
                                /** @description Daily: ears_c1, ears_c2, ears_c3 (EARS, surveillance::earsC; sd floor 1), essence (regression/EWMA switch), threshold (ODMAP-style: N or more in 24 h, N set per area). Weekly (complete ISO weeks): negbin (negative-binomial regression with trend and annual harmonics, 95% bound), farrington (Farrington flexible, b = 5, w = 3, alpha 0.05). */
                                method: "ears_c1" | "ears_c2" | "ears_c3" | "essence" | "negbin" | "farrington" | "threshold";
                                /** @description essence: which arm of the switch (adjusted R² ≥ 0.60: regression). */
                                model: "regression" | "ewma" | null;
                                /** @description Counts (observed, expected, threshold) hidden: below this role’s small-cell threshold. Level, p-value and method stay. */
                                suppressed: boolean;
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Alert episodes: one per detector and area while a signal lasts, opened, updated and closed
         * @description An episode opens on a red period, stays open while periods are red or yellow, and closes after 7 quiet days (2 quiet weeks for weekly methods). With an indicator (and method, default essence) the episodes are first brought up to the latest data.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @example ems.opioid_overdose */
                    indicator?: string;
                    /** @description Daily: ears_c1, ears_c2, ears_c3 (EARS, surveillance::earsC; sd floor 1), essence (regression/EWMA switch), threshold (ODMAP-style: N or more in 24 h, N set per area). Weekly (complete ISO weeks): negbin (negative-binomial regression with trend and annual harmonics, 95% bound), farrington (Farrington flexible, b = 5, w = 3, alpha 0.05). */
                    method?: "ears_c1" | "ears_c2" | "ears_c3" | "essence" | "negbin" | "farrington" | "threshold";
                    status?: "open" | "closed";
                    /** @description Comma-separated area ids; "total" is the whole jurisdiction. Omitted: every area and the total. */
                    areas?: string;
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    from?: string;
                    /**
                     * @description Calendar date, YYYY-MM-DD
                     * @example 2024-01-31
                     */
                    to?: string;
                    limit?: number;
                    /** @description Bring the episodes of this indicator and method up to the latest data first (default true; needs indicator). */
                    refresh?: boolean;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            /** @description Quiet periods in a row that close an episode. */
                            quietToClose: {
                                day: number;
                                week: number;
                            };
                            refreshed: {
                                indicator: string;
                                method: string;
                                through: string | null;
                                opened: number;
                                closed: number;
                            } | null;
                            alerts: {
                                id: number;
                                jurisdiction: string;
                                indicator: string;
                                method: string;
                                geography: string;
                                cadence: "day" | "week";
                                area: string;
                                areaName: string;
                                status: "open" | "closed";
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                openedOn: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                lastSignalOn: string;
                                closedOn: string | null;
                                redPeriods: number;
                                yellowPeriods: number;
                                /** @description Quiet periods since the last red or yellow one (it closes at the quiet limit). */
                                quietPeriods: number;
                                peak: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    date: string;
                                    /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                    level: "red" | "yellow" | "none";
                                    observed: number | null;
                                    expected: number | null;
                                    statistic: number | null;
                                    pValue: number | null;
                                    pAdjusted: number | null;
                                    suppressed: boolean;
                                };
                                latest: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    date: string;
                                    /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                    level: "red" | "yellow" | "none";
                                    observed: number | null;
                                    expected: number | null;
                                    statistic: number | null;
                                    pValue: number | null;
                                    pAdjusted: number | null;
                                    suppressed: boolean;
                                };
                                acknowledgedAt: string | null;
                                acknowledgedBy: number | null;
                                note: string | null;
                                periods?: {
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    date: string;
                                    /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                    level: "red" | "yellow" | "none";
                                    observed: number | null;
                                    expected: number | null;
                                    statistic: number | null;
                                    pValue: number | null;
                                    pAdjusted: number | null;
                                    suppressed: boolean;
                                }[];
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One alert episode with its red and yellow periods */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            indicator: string;
                            method: string;
                            geography: string;
                            cadence: "day" | "week";
                            area: string;
                            areaName: string;
                            status: "open" | "closed";
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            openedOn: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            lastSignalOn: string;
                            closedOn: string | null;
                            redPeriods: number;
                            yellowPeriods: number;
                            /** @description Quiet periods since the last red or yellow one (it closes at the quiet limit). */
                            quietPeriods: number;
                            peak: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                level: "red" | "yellow" | "none";
                                observed: number | null;
                                expected: number | null;
                                statistic: number | null;
                                pValue: number | null;
                                pAdjusted: number | null;
                                suppressed: boolean;
                            };
                            latest: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                level: "red" | "yellow" | "none";
                                observed: number | null;
                                expected: number | null;
                                statistic: number | null;
                                pValue: number | null;
                                pAdjusted: number | null;
                                suppressed: boolean;
                            };
                            acknowledgedAt: string | null;
                            acknowledgedBy: number | null;
                            note: string | null;
                            periods?: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                level: "red" | "yellow" | "none";
                                observed: number | null;
                                expected: number | null;
                                statistic: number | null;
                                pValue: number | null;
                                pAdjusted: number | null;
                                suppressed: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{id}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Acknowledge an alert episode, with an optional note (health-department analysts) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        note?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            indicator: string;
                            method: string;
                            geography: string;
                            cadence: "day" | "week";
                            area: string;
                            areaName: string;
                            status: "open" | "closed";
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            openedOn: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            lastSignalOn: string;
                            closedOn: string | null;
                            redPeriods: number;
                            yellowPeriods: number;
                            /** @description Quiet periods since the last red or yellow one (it closes at the quiet limit). */
                            quietPeriods: number;
                            peak: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                level: "red" | "yellow" | "none";
                                observed: number | null;
                                expected: number | null;
                                statistic: number | null;
                                pValue: number | null;
                                pAdjusted: number | null;
                                suppressed: boolean;
                            };
                            latest: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                level: "red" | "yellow" | "none";
                                observed: number | null;
                                expected: number | null;
                                statistic: number | null;
                                pValue: number | null;
                                pAdjusted: number | null;
                                suppressed: boolean;
                            };
                            acknowledgedAt: string | null;
                            acknowledgedBy: number | null;
                            note: string | null;
                            periods?: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                /** @description red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise. */
                                level: "red" | "yellow" | "none";
                                observed: number | null;
                                expected: number | null;
                                statistic: number | null;
                                pValue: number | null;
                                pAdjusted: number | null;
                                suppressed: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/thresholds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** ODMAP-style thresholds of an indicator: N events in 24 hours per area */
        get: {
            parameters: {
                query: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @example ems.opioid_overdose */
                    indicator: string;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            indicator: string;
                            thresholds: {
                                /** @description Area id, "*" (every area without its own) or "total". */
                                area: string;
                                minCount: number;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string;
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        /**
         * Set (or with minCount null remove) the threshold N of one area, "*" (the default) or "total"
         * @description Analysts and administrators, for the working group. Takes effect from the next period evaluated; earlier alerts stay as they were. Every change is in the audit log.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Defaults to the configured default jurisdiction. */
                        jurisdiction?: string;
                        /** @example ems.opioid_overdose */
                        indicator: string;
                        area: string;
                        /** @description N; null removes the threshold. */
                        minCount: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            indicator: string;
                            thresholds: {
                                /** @description Area id, "*" (every area without its own) or "total". */
                                area: string;
                                minCount: number;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a space–time permutation scan (Kulldorff 2005) of one indicator; answers with the job
         * @description Runs off the request thread on worker threads (replicates split across them, seeded: the same request gives the same clusters and p-values). Poll GET /clusters/{id}.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Space–time permutation scan (Kulldorff et al. 2005) over area centroids. Defaults: ems.opioid_overdose, the last 365 days of data, windows up to 30 days, 999 replicates, seed 1. */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Defaults to the configured default jurisdiction. */
                        jurisdiction?: string;
                        /** @example ems.opioid_overdose */
                        indicator?: string;
                        /** @description Assign events by residence or by where they happened; default the indicator's first geography. */
                        geography?: "residence" | "event";
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        from?: string;
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        to?: string;
                        /**
                         * @description Longest time window.
                         * @default 30
                         */
                        maxDays?: number;
                        /**
                         * @description Only windows ending on "to" (is a cluster going on now?).
                         * @default false
                         */
                        prospective?: boolean;
                        /** @default 999 */
                        replicates?: number;
                        /** @default 1 */
                        seed?: number;
                        /** @default 0.5 */
                        maxSpatialShare?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            status: "queued" | "running" | "done" | "failed";
                            request: {
                                jurisdiction: string;
                                indicator: string;
                                geography: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                from: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                to: string;
                                maxDays: number;
                                prospective: boolean;
                                replicates: number;
                                seed: number;
                                maxSpatialShare: number;
                            };
                            /** Format: date-time */
                            submittedAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                            progress: {
                                done: number;
                                total: number;
                            };
                            error: string | null;
                            result: {
                                totalCases: number | null;
                                /** @description Events without an area (or centroid), not scanned. */
                                casesLeftOut: number | null;
                                areasScanned: number;
                                circles: number;
                                cylinders: number;
                                replicates: number;
                                seed: number;
                                criticalValues: {
                                    p05: number | null;
                                    p01: number | null;
                                };
                                clusters: {
                                    center: {
                                        id: string;
                                        name: string;
                                    };
                                    areas: {
                                        id: string;
                                        name: string;
                                    }[];
                                    radiusKm: number;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    start: string;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    end: string;
                                    days: number;
                                    observed: number | null;
                                    expected: number | null;
                                    relativeRisk: number;
                                    /** @description Log likelihood ratio of the cylinder. */
                                    llr: number;
                                    /** @description Monte Carlo p = (1 + replicates at least as large)/(R + 1); secondary clusters are judged against the same maxima (conservative). */
                                    pValue: number;
                                    suppressed: boolean;
                                }[];
                                elapsedMs: number;
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A scan job: its progress, then the clusters (areas, window, observed/expected, p) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            status: "queued" | "running" | "done" | "failed";
                            request: {
                                jurisdiction: string;
                                indicator: string;
                                geography: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                from: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                to: string;
                                maxDays: number;
                                prospective: boolean;
                                replicates: number;
                                seed: number;
                                maxSpatialShare: number;
                            };
                            /** Format: date-time */
                            submittedAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                            progress: {
                                done: number;
                                total: number;
                            };
                            error: string | null;
                            result: {
                                totalCases: number | null;
                                /** @description Events without an area (or centroid), not scanned. */
                                casesLeftOut: number | null;
                                areasScanned: number;
                                circles: number;
                                cylinders: number;
                                replicates: number;
                                seed: number;
                                criticalValues: {
                                    p05: number | null;
                                    p01: number | null;
                                };
                                clusters: {
                                    center: {
                                        id: string;
                                        name: string;
                                    };
                                    areas: {
                                        id: string;
                                        name: string;
                                    }[];
                                    radiusKm: number;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    start: string;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    end: string;
                                    days: number;
                                    observed: number | null;
                                    expected: number | null;
                                    relativeRisk: number;
                                    /** @description Log likelihood ratio of the cylinder. */
                                    llr: number;
                                    /** @description Monte Carlo p = (1 + replicates at least as large)/(R + 1); secondary clusters are judged against the same maxima (conservative). */
                                    pValue: number;
                                    suppressed: boolean;
                                }[];
                                elapsedMs: number;
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backtests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Backtest a detector: inject spikes into this city’s history and report sensitivity, false alarms per month and days to detection
         * @description Seeded. Spikes of `extra` events over `days` days go into random areas and dates of the real daily counts; the detector runs with the parameters given; a spike counts as found if its area is red between its first day and 7 days after its last.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Defaults to the configured default jurisdiction. */
                        jurisdiction?: string;
                        /** @example ems.opioid_overdose */
                        indicator: string;
                        /** @description Daily: ears_c1, ears_c2, ears_c3 (EARS, surveillance::earsC; sd floor 1), essence (regression/EWMA switch), threshold (ODMAP-style: N or more in 24 h, N set per area). Weekly (complete ISO weeks): negbin (negative-binomial regression with trend and annual harmonics, 95% bound), farrington (Farrington flexible, b = 5, w = 3, alpha 0.05). */
                        method: "ears_c1" | "ears_c2" | "ears_c3" | "essence" | "negbin" | "farrington" | "threshold";
                        /** @description Assign events by residence or by where they happened; default the indicator's first geography. */
                        geography?: "residence" | "event";
                        /** @description Extra events per injected spike. */
                        extra: number;
                        /**
                         * @description Length of each spike in days.
                         * @default 3
                         */
                        days?: number;
                        /** @default 40 */
                        spikes?: number;
                        /** @default 1 */
                        seed?: number;
                        /** @description Comma-separated area ids; "total" is the whole jurisdiction. Omitted: every area and the total. */
                        areas?: string;
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        from?: string;
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        to?: string;
                        /** @description EARS: floor on the baseline sd (default 1). */
                        minSigma?: number;
                        /** @description EARS alpha (default 0.001; C3 0.025). */
                        alpha?: number;
                        /** @description threshold: N for every area (default: the stored thresholds). */
                        minCount?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            indicator: string;
                            geography: string;
                            /** @description Daily: ears_c1, ears_c2, ears_c3 (EARS, surveillance::earsC; sd floor 1), essence (regression/EWMA switch), threshold (ODMAP-style: N or more in 24 h, N set per area). Weekly (complete ISO weeks): negbin (negative-binomial regression with trend and annual harmonics, 95% bound), farrington (Farrington flexible, b = 5, w = 3, alpha 0.05). */
                            method: "ears_c1" | "ears_c2" | "ears_c3" | "essence" | "negbin" | "farrington" | "threshold";
                            cadence: "day" | "week";
                            seed: number;
                            extra: number;
                            days: number;
                            evaluated: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                from: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                to: string;
                                days: number;
                                areas: number;
                            };
                            /** @description Share of injected spikes found (red in their area between their first day and 7 days after their last). */
                            sensitivity: number;
                            detected: number;
                            daysToDetection: {
                                median: number | null;
                                mean: number | null;
                                max: number | null;
                            };
                            falseAlarms: number;
                            /** @description Red area-periods outside every injected spike, in the whole jurisdiction, per month (30.44 days). Real events in the history count here too. */
                            falseAlarmsPerMonth: number;
                            falseAlarmsPerAreaYear: number;
                            spikes: {
                                area: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                start: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                end: string;
                                extra: number;
                                detectedOn: string | null;
                                daysToDetection: number | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Saved naloxone plans, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /**
                     * @description YYYY-MM
                     * @example 2026-01
                     */
                    month?: string;
                    /** @description Plans per page (default 20). */
                    limit?: number;
                    /** @description Plans older than this id (the previous page’s nextBefore). */
                    before?: number;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            plans: {
                                id: number;
                                jurisdiction: string;
                                /**
                                 * @description YYYY-MM
                                 * @example 2026-01
                                 */
                                month: string;
                                kits: number;
                                unitKind: "police" | "areas";
                                units: number;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: {
                                    email: string | null;
                                    role: string;
                                    agency: string | null;
                                };
                                /** @description The data the plan was made on (DuckDB loaded_files). */
                                dataVersion: {
                                    /** @description Files loaded for the jurisdiction when the plan was made. */
                                    files: number;
                                    /** @description Ingest run id of the latest load. */
                                    lastRun: string | null;
                                    lastLoadedAt: string | null;
                                    feeds: {
                                        [key: string]: {
                                            files: number;
                                            lastRun: string;
                                            lastLoadedAt: string;
                                        };
                                    };
                                };
                            }[];
                            /** @description Pass as "before" for the next page; null on the last page. */
                            nextBefore: number | null;
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Make and save a naloxone plan: kits by police unit (or area) in proportion to forecast need, each explained
         * @description Need per unit = Σ weight × the damped-Holt forecast of each source's monthly counts (default: EMS suspected opioid overdoses × 1 + overdose deaths × 3, where they happened). Every unit gets its minimum; the rest go by each unit's shortfall against its need-share of new kits plus stock, by largest remainder, adding up exactly. Analysts, commanders and administrators. 400 names the field at fault (e.g. kits below the sum of the minimums).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Defaults to the configured default jurisdiction. */
                        jurisdiction?: string;
                        /** @description The month the kits are for, YYYY-MM. Default: the month after the last whole month of data. The forecast uses whole months before it; at most 6 months after the data. */
                        month?: string;
                        /** @description Kits to place. */
                        kits: number;
                        /** @description Kits every unit gets whatever its need (default 0). */
                        minimum?: number;
                        /** @description Per-unit minimums, overriding "minimum". */
                        minimums?: {
                            [key: string]: number;
                        };
                        /** @description Kits each unit holds now; a unit left out is taken as holding none. */
                        stock?: {
                            [key: string]: number;
                        };
                        /** @description police: the jurisdiction's police units (crosswalk in jurisdiction.json → policeUnits; NYC: the 8 NYPD patrol boroughs); areas: one unit per area. Default police where configured. */
                        units?: "police" | "areas";
                        /** @description What need is made of. Default: ems.opioid_overdose weight 1 and deaths.any_drug weight 3, both where they happened. */
                        sources?: {
                            /** @example ems.opioid_overdose */
                            indicator: string;
                            /** @description Weight of one event of this indicator in the need. */
                            weight: number;
                            /** @description Count events where they happened (default) or by residence. */
                            geography?: "event" | "residence";
                        }[];
                        forecast?: {
                            /** @description Level smoothing (default 0.3). */
                            alpha?: number;
                            /** @description Trend smoothing (default 0.1). */
                            beta?: number;
                            /** @description Trend damping (default 0.9). */
                            phi?: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            month: string;
                            kits: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: {
                                email: string | null;
                                role: string;
                                agency: string | null;
                            };
                            /** @description The data the plan was made on (DuckDB loaded_files). */
                            dataVersion: {
                                /** @description Files loaded for the jurisdiction when the plan was made. */
                                files: number;
                                /** @description Ingest run id of the latest load. */
                                lastRun: string | null;
                                lastLoadedAt: string | null;
                                feeds: {
                                    [key: string]: {
                                        files: number;
                                        lastRun: string;
                                        lastLoadedAt: string;
                                    };
                                };
                            };
                            definitionVersions: {
                                [key: string]: string;
                            };
                            /** @description The jurisdiction runs on synthetic data. */
                            synthetic: boolean;
                            /** @description Counts are cut to this role’s small-cell rule (server/policy.ts). */
                            restricted: boolean;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            lastMonth: string;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            firstMonth: string;
                            /** @description Months from the last month of data to the plan month. */
                            horizon: number;
                            unitKind: "police" | "areas";
                            unitLabel: string;
                            /** @description How the areas were assigned to police units (an approximation). */
                            crosswalkNote: string | null;
                            /** @description Areas the crosswalk leaves out, each planned as its own unit. */
                            unmappedAreas: string[];
                            method: {
                                forecast: string;
                                allocation: string;
                                params: {
                                    alpha: number;
                                    beta: number;
                                    phi: number;
                                };
                            };
                            sources: {
                                indicator: string;
                                label: string;
                                weight: number;
                                geography: string;
                            }[];
                            inputs: {
                                minimum: number;
                                minimums: {
                                    [key: string]: number;
                                };
                                stock: {
                                    [key: string]: number;
                                };
                            };
                            totals: {
                                kits: number;
                                /** @description kits + total stock. */
                                pool: number;
                                stockTotal: number;
                                minimumTotal: number;
                                /** @description kits − Σ minimums: allocated by shortfall. */
                                extraKits: number;
                                totalNeed: number;
                                totalGap: number;
                                /** @description Kits given one each by largest remainder. */
                                remainderKits: number;
                            };
                            units: {
                                id: string;
                                name: string;
                                /** @description Area ids in the unit. */
                                areas: string[];
                                /** @description Kits allocated: minimum + extra. */
                                kits: number;
                                minimum: number;
                                /** @description Stock given for the unit; null when not given (taken as 0). */
                                stock: number | null;
                                /** @description Forecast need: Σ weight × forecast (whole numbers for roles with a small-cell threshold). */
                                need: number;
                                /** @description need / total need. */
                                needShare: number;
                                /** @description needShare × (kits + total stock): what the unit would hold at its share. */
                                poolShare: number;
                                /** @description max(0, poolShare − stock − minimum). */
                                gap: number;
                                /** @description gap / total gap: its part of the kits above the minimums. */
                                gapShare: number;
                                /** @description Kits above the minimum (largest remainder). */
                                extra: number;
                                /** @description One of its extra kits came by largest remainder. */
                                remainderKit: boolean;
                                /** @description share: kits by its shortfall; stocked: holds its share already, so only its minimum; minimum: its share is no more than its minimum. */
                                basis: "share" | "stocked" | "minimum";
                                trendPct: number | null;
                                trendPerMonth: number | null;
                                /** @description By source indicator. */
                                components: {
                                    [key: string]: {
                                        weight: number;
                                        /** @description Forecast events in the plan month (whole numbers for roles with a small-cell threshold). */
                                        forecast: number;
                                        /** @description Count of the last month of data; null when suppressed for this role. */
                                        lastMonth: number | null;
                                        lastMonthState: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description The count as words: a number, "fewer than 10", or "suppressed". */
                                        lastMonthText: string;
                                    };
                                };
                                /** @description One sentence with the numbers this unit’s share rests on. */
                                explanation: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/plans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One saved plan: kits per unit with the sentence explaining each (CSV: one row per unit)
         * @description Counts follow the reader’s small-cell rule (server/policy.ts): a role with a threshold sees last month’s count of a unit only where it cannot give a hidden area count back, and whole-number forecasts.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            month: string;
                            kits: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: {
                                email: string | null;
                                role: string;
                                agency: string | null;
                            };
                            /** @description The data the plan was made on (DuckDB loaded_files). */
                            dataVersion: {
                                /** @description Files loaded for the jurisdiction when the plan was made. */
                                files: number;
                                /** @description Ingest run id of the latest load. */
                                lastRun: string | null;
                                lastLoadedAt: string | null;
                                feeds: {
                                    [key: string]: {
                                        files: number;
                                        lastRun: string;
                                        lastLoadedAt: string;
                                    };
                                };
                            };
                            definitionVersions: {
                                [key: string]: string;
                            };
                            /** @description The jurisdiction runs on synthetic data. */
                            synthetic: boolean;
                            /** @description Counts are cut to this role’s small-cell rule (server/policy.ts). */
                            restricted: boolean;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            lastMonth: string;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            firstMonth: string;
                            /** @description Months from the last month of data to the plan month. */
                            horizon: number;
                            unitKind: "police" | "areas";
                            unitLabel: string;
                            /** @description How the areas were assigned to police units (an approximation). */
                            crosswalkNote: string | null;
                            /** @description Areas the crosswalk leaves out, each planned as its own unit. */
                            unmappedAreas: string[];
                            method: {
                                forecast: string;
                                allocation: string;
                                params: {
                                    alpha: number;
                                    beta: number;
                                    phi: number;
                                };
                            };
                            sources: {
                                indicator: string;
                                label: string;
                                weight: number;
                                geography: string;
                            }[];
                            inputs: {
                                minimum: number;
                                minimums: {
                                    [key: string]: number;
                                };
                                stock: {
                                    [key: string]: number;
                                };
                            };
                            totals: {
                                kits: number;
                                /** @description kits + total stock. */
                                pool: number;
                                stockTotal: number;
                                minimumTotal: number;
                                /** @description kits − Σ minimums: allocated by shortfall. */
                                extraKits: number;
                                totalNeed: number;
                                totalGap: number;
                                /** @description Kits given one each by largest remainder. */
                                remainderKits: number;
                            };
                            units: {
                                id: string;
                                name: string;
                                /** @description Area ids in the unit. */
                                areas: string[];
                                /** @description Kits allocated: minimum + extra. */
                                kits: number;
                                minimum: number;
                                /** @description Stock given for the unit; null when not given (taken as 0). */
                                stock: number | null;
                                /** @description Forecast need: Σ weight × forecast (whole numbers for roles with a small-cell threshold). */
                                need: number;
                                /** @description need / total need. */
                                needShare: number;
                                /** @description needShare × (kits + total stock): what the unit would hold at its share. */
                                poolShare: number;
                                /** @description max(0, poolShare − stock − minimum). */
                                gap: number;
                                /** @description gap / total gap: its part of the kits above the minimums. */
                                gapShare: number;
                                /** @description Kits above the minimum (largest remainder). */
                                extra: number;
                                /** @description One of its extra kits came by largest remainder. */
                                remainderKit: boolean;
                                /** @description share: kits by its shortfall; stocked: holds its share already, so only its minimum; minimum: its share is no more than its minimum. */
                                basis: "share" | "stocked" | "minimum";
                                trendPct: number | null;
                                trendPerMonth: number | null;
                                /** @description By source indicator. */
                                components: {
                                    [key: string]: {
                                        weight: number;
                                        /** @description Forecast events in the plan month (whole numbers for roles with a small-cell threshold). */
                                        forecast: number;
                                        /** @description Count of the last month of data; null when suppressed for this role. */
                                        lastMonth: number | null;
                                        lastMonthState: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description The count as words: a number, "fewer than 10", or "suppressed". */
                                        lastMonthText: string;
                                    };
                                };
                                /** @description One sentence with the numbers this unit’s share rests on. */
                                explanation: string;
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/plans/{id}.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One saved plan as CSV: one row per unit, with its explanation */
        get: {
            parameters: {
                query?: {
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            month: string;
                            kits: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: {
                                email: string | null;
                                role: string;
                                agency: string | null;
                            };
                            /** @description The data the plan was made on (DuckDB loaded_files). */
                            dataVersion: {
                                /** @description Files loaded for the jurisdiction when the plan was made. */
                                files: number;
                                /** @description Ingest run id of the latest load. */
                                lastRun: string | null;
                                lastLoadedAt: string | null;
                                feeds: {
                                    [key: string]: {
                                        files: number;
                                        lastRun: string;
                                        lastLoadedAt: string;
                                    };
                                };
                            };
                            definitionVersions: {
                                [key: string]: string;
                            };
                            /** @description The jurisdiction runs on synthetic data. */
                            synthetic: boolean;
                            /** @description Counts are cut to this role’s small-cell rule (server/policy.ts). */
                            restricted: boolean;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            lastMonth: string;
                            /**
                             * @description YYYY-MM
                             * @example 2026-01
                             */
                            firstMonth: string;
                            /** @description Months from the last month of data to the plan month. */
                            horizon: number;
                            unitKind: "police" | "areas";
                            unitLabel: string;
                            /** @description How the areas were assigned to police units (an approximation). */
                            crosswalkNote: string | null;
                            /** @description Areas the crosswalk leaves out, each planned as its own unit. */
                            unmappedAreas: string[];
                            method: {
                                forecast: string;
                                allocation: string;
                                params: {
                                    alpha: number;
                                    beta: number;
                                    phi: number;
                                };
                            };
                            sources: {
                                indicator: string;
                                label: string;
                                weight: number;
                                geography: string;
                            }[];
                            inputs: {
                                minimum: number;
                                minimums: {
                                    [key: string]: number;
                                };
                                stock: {
                                    [key: string]: number;
                                };
                            };
                            totals: {
                                kits: number;
                                /** @description kits + total stock. */
                                pool: number;
                                stockTotal: number;
                                minimumTotal: number;
                                /** @description kits − Σ minimums: allocated by shortfall. */
                                extraKits: number;
                                totalNeed: number;
                                totalGap: number;
                                /** @description Kits given one each by largest remainder. */
                                remainderKits: number;
                            };
                            units: {
                                id: string;
                                name: string;
                                /** @description Area ids in the unit. */
                                areas: string[];
                                /** @description Kits allocated: minimum + extra. */
                                kits: number;
                                minimum: number;
                                /** @description Stock given for the unit; null when not given (taken as 0). */
                                stock: number | null;
                                /** @description Forecast need: Σ weight × forecast (whole numbers for roles with a small-cell threshold). */
                                need: number;
                                /** @description need / total need. */
                                needShare: number;
                                /** @description needShare × (kits + total stock): what the unit would hold at its share. */
                                poolShare: number;
                                /** @description max(0, poolShare − stock − minimum). */
                                gap: number;
                                /** @description gap / total gap: its part of the kits above the minimums. */
                                gapShare: number;
                                /** @description Kits above the minimum (largest remainder). */
                                extra: number;
                                /** @description One of its extra kits came by largest remainder. */
                                remainderKit: boolean;
                                /** @description share: kits by its shortfall; stocked: holds its share already, so only its minimum; minimum: its share is no more than its minimum. */
                                basis: "share" | "stocked" | "minimum";
                                trendPct: number | null;
                                trendPerMonth: number | null;
                                /** @description By source indicator. */
                                components: {
                                    [key: string]: {
                                        weight: number;
                                        /** @description Forecast events in the plan month (whole numbers for roles with a small-cell threshold). */
                                        forecast: number;
                                        /** @description Count of the last month of data; null when suppressed for this role. */
                                        lastMonth: number | null;
                                        lastMonthState: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description The count as words: a number, "fewer than 10", or "suppressed". */
                                        lastMonthText: string;
                                    };
                                };
                                /** @description One sentence with the numbers this unit’s share rests on. */
                                explanation: string;
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/meetings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Meetings, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @description Meetings per page (default 20). */
                    limit?: number;
                    /** @description Meetings before this one (the previous page’s nextBefore). */
                    before?: number;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            meetings: {
                                id: number;
                                jurisdiction: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                date: string;
                                title: string | null;
                                agencies: string[];
                                /** @description Items raised at this meeting still open. */
                                openActions: number;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string | null;
                            }[];
                            /** @description Pass as "before" for the next page; null on the last page. */
                            nextBefore: number | null;
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Record a working-group meeting: date, agencies present, notes
         * @description Members of the working group. The agenda is built from the period (default: the day after the previous meeting, or the first day of the month before, to the meeting date).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Defaults to the configured default jurisdiction. */
                        jurisdiction?: string;
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        date: string;
                        title?: string;
                        /** @description Agencies present. */
                        agencies: string[];
                        notes?: string;
                        /** @description First day the agenda looks at. Default: the day after the previous meeting, or the first day of the month before the meeting. */
                        periodFrom?: string;
                        /** @description Last day the agenda looks at. Default: the meeting date. */
                        periodTo?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            date: string;
                            title: string | null;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            periodFrom: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            periodTo: string;
                            agencies: string[];
                            notes: string;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            updatedBy: string | null;
                            previousMeetingId: number | null;
                            /** @description Raised at this meeting. */
                            actions: {
                                id: number;
                                /** @description The meeting that raised it. */
                                meetingId: number;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                meetingDate: string;
                                ownerAgency: string;
                                description: string;
                                dueDate: string | null;
                                status: "open" | "done" | "dropped";
                                /** @description Open and due before the meeting viewed. */
                                overdue: boolean;
                                /** @description Date of the meeting it was closed at. */
                                closedOn: string | null;
                                closedInMeetingId: number | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string | null;
                            }[];
                            /** @description Raised at earlier meetings and open at this one (closed here or later, or still open). */
                            carriedOver: {
                                id: number;
                                /** @description The meeting that raised it. */
                                meetingId: number;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                meetingDate: string;
                                ownerAgency: string;
                                description: string;
                                dueDate: string | null;
                                status: "open" | "done" | "dropped";
                                /** @description Open and due before the meeting viewed. */
                                overdue: boolean;
                                /** @description Date of the meeting it was closed at. */
                                closedOn: string | null;
                                closedInMeetingId: number | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string | null;
                            }[];
                            agenda: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                periodFrom: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                periodTo: string;
                                /** @description The agenda in order: carried-over action items, signals, supply, naloxone plan. */
                                items: {
                                    kind: "signal" | "supply" | "plan" | "actions";
                                    /** @description One line for the agenda. */
                                    title: string;
                                }[];
                                /** @description Alert episodes open at some time in the period (as stored: GET /alerts?indicator=… brings a detector up to date). */
                                signals: {
                                    alertId: number;
                                    indicator: string;
                                    indicatorLabel: string;
                                    method: string;
                                    cadence: string;
                                    area: string;
                                    areaName: string;
                                    status: "open" | "closed";
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    openedOn: string;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    lastSignalOn: string;
                                    closedOn: string | null;
                                    redPeriods: number;
                                    yellowPeriods: number;
                                    peakObserved: number | null;
                                    peakExpected: number | null;
                                    acknowledged: boolean;
                                    note: string | null;
                                }[];
                                /** @description Substances found by drug checking for the first time in the jurisdiction during the period. */
                                supply: {
                                    substance: string;
                                    feed: string;
                                    /** @description Collection date (analysts) or month YYYY-MM (roles served by month). */
                                    firstSeen: string;
                                    /** @description Area of the first sample (analysts only). */
                                    area: string | null;
                                    areaName: string | null;
                                    /** @description null when suppressed for this role (see samplesText). */
                                    samplesInPeriod: number | null;
                                    samplesText: string;
                                }[];
                                /** @description The latest naloxone plan for a month from the period’s first to the month after the meeting. */
                                plan: {
                                    planId: number;
                                    month: string;
                                    kits: number;
                                    units: number;
                                    /** Format: date-time */
                                    createdAt: string;
                                } | null;
                                /** @description Why space–time clusters are not on the agenda yet. */
                                clusters: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/meetings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One meeting: its agenda (signals, supply alerts, naloxone plan), its action items and those carried over from earlier meetings */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            date: string;
                            title: string | null;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            periodFrom: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            periodTo: string;
                            agencies: string[];
                            notes: string;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            updatedBy: string | null;
                            previousMeetingId: number | null;
                            /** @description Raised at this meeting. */
                            actions: {
                                id: number;
                                /** @description The meeting that raised it. */
                                meetingId: number;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                meetingDate: string;
                                ownerAgency: string;
                                description: string;
                                dueDate: string | null;
                                status: "open" | "done" | "dropped";
                                /** @description Open and due before the meeting viewed. */
                                overdue: boolean;
                                /** @description Date of the meeting it was closed at. */
                                closedOn: string | null;
                                closedInMeetingId: number | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string | null;
                            }[];
                            /** @description Raised at earlier meetings and open at this one (closed here or later, or still open). */
                            carriedOver: {
                                id: number;
                                /** @description The meeting that raised it. */
                                meetingId: number;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                meetingDate: string;
                                ownerAgency: string;
                                description: string;
                                dueDate: string | null;
                                status: "open" | "done" | "dropped";
                                /** @description Open and due before the meeting viewed. */
                                overdue: boolean;
                                /** @description Date of the meeting it was closed at. */
                                closedOn: string | null;
                                closedInMeetingId: number | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string | null;
                            }[];
                            agenda: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                periodFrom: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                periodTo: string;
                                /** @description The agenda in order: carried-over action items, signals, supply, naloxone plan. */
                                items: {
                                    kind: "signal" | "supply" | "plan" | "actions";
                                    /** @description One line for the agenda. */
                                    title: string;
                                }[];
                                /** @description Alert episodes open at some time in the period (as stored: GET /alerts?indicator=… brings a detector up to date). */
                                signals: {
                                    alertId: number;
                                    indicator: string;
                                    indicatorLabel: string;
                                    method: string;
                                    cadence: string;
                                    area: string;
                                    areaName: string;
                                    status: "open" | "closed";
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    openedOn: string;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    lastSignalOn: string;
                                    closedOn: string | null;
                                    redPeriods: number;
                                    yellowPeriods: number;
                                    peakObserved: number | null;
                                    peakExpected: number | null;
                                    acknowledged: boolean;
                                    note: string | null;
                                }[];
                                /** @description Substances found by drug checking for the first time in the jurisdiction during the period. */
                                supply: {
                                    substance: string;
                                    feed: string;
                                    /** @description Collection date (analysts) or month YYYY-MM (roles served by month). */
                                    firstSeen: string;
                                    /** @description Area of the first sample (analysts only). */
                                    area: string | null;
                                    areaName: string | null;
                                    /** @description null when suppressed for this role (see samplesText). */
                                    samplesInPeriod: number | null;
                                    samplesText: string;
                                }[];
                                /** @description The latest naloxone plan for a month from the period’s first to the month after the meeting. */
                                plan: {
                                    planId: number;
                                    month: string;
                                    kits: number;
                                    units: number;
                                    /** Format: date-time */
                                    createdAt: string;
                                } | null;
                                /** @description Why space–time clusters are not on the agenda yet. */
                                clusters: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a meeting: date, title, agencies present, notes, period */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        date?: string;
                        title?: string | null;
                        agencies?: string[];
                        notes?: string;
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        periodFrom?: string;
                        /**
                         * @description Calendar date, YYYY-MM-DD
                         * @example 2024-01-31
                         */
                        periodTo?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            date: string;
                            title: string | null;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            periodFrom: string;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            periodTo: string;
                            agencies: string[];
                            notes: string;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            updatedBy: string | null;
                            previousMeetingId: number | null;
                            /** @description Raised at this meeting. */
                            actions: {
                                id: number;
                                /** @description The meeting that raised it. */
                                meetingId: number;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                meetingDate: string;
                                ownerAgency: string;
                                description: string;
                                dueDate: string | null;
                                status: "open" | "done" | "dropped";
                                /** @description Open and due before the meeting viewed. */
                                overdue: boolean;
                                /** @description Date of the meeting it was closed at. */
                                closedOn: string | null;
                                closedInMeetingId: number | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string | null;
                            }[];
                            /** @description Raised at earlier meetings and open at this one (closed here or later, or still open). */
                            carriedOver: {
                                id: number;
                                /** @description The meeting that raised it. */
                                meetingId: number;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                meetingDate: string;
                                ownerAgency: string;
                                description: string;
                                dueDate: string | null;
                                status: "open" | "done" | "dropped";
                                /** @description Open and due before the meeting viewed. */
                                overdue: boolean;
                                /** @description Date of the meeting it was closed at. */
                                closedOn: string | null;
                                closedInMeetingId: number | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string | null;
                            }[];
                            agenda: {
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                periodFrom: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                periodTo: string;
                                /** @description The agenda in order: carried-over action items, signals, supply, naloxone plan. */
                                items: {
                                    kind: "signal" | "supply" | "plan" | "actions";
                                    /** @description One line for the agenda. */
                                    title: string;
                                }[];
                                /** @description Alert episodes open at some time in the period (as stored: GET /alerts?indicator=… brings a detector up to date). */
                                signals: {
                                    alertId: number;
                                    indicator: string;
                                    indicatorLabel: string;
                                    method: string;
                                    cadence: string;
                                    area: string;
                                    areaName: string;
                                    status: "open" | "closed";
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    openedOn: string;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    lastSignalOn: string;
                                    closedOn: string | null;
                                    redPeriods: number;
                                    yellowPeriods: number;
                                    peakObserved: number | null;
                                    peakExpected: number | null;
                                    acknowledged: boolean;
                                    note: string | null;
                                }[];
                                /** @description Substances found by drug checking for the first time in the jurisdiction during the period. */
                                supply: {
                                    substance: string;
                                    feed: string;
                                    /** @description Collection date (analysts) or month YYYY-MM (roles served by month). */
                                    firstSeen: string;
                                    /** @description Area of the first sample (analysts only). */
                                    area: string | null;
                                    areaName: string | null;
                                    /** @description null when suppressed for this role (see samplesText). */
                                    samplesInPeriod: number | null;
                                    samplesText: string;
                                }[];
                                /** @description The latest naloxone plan for a month from the period’s first to the month after the meeting. */
                                plan: {
                                    planId: number;
                                    month: string;
                                    kits: number;
                                    units: number;
                                    /** Format: date-time */
                                    createdAt: string;
                                } | null;
                                /** @description Why space–time clusters are not on the agenda yet. */
                                clusters: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/meetings/{id}/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add an action item to a meeting: owner agency, description, due date (status open) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        ownerAgency: string;
                        description: string;
                        dueDate?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            /** @description The meeting that raised it. */
                            meetingId: number;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            meetingDate: string;
                            ownerAgency: string;
                            description: string;
                            dueDate: string | null;
                            status: "open" | "done" | "dropped";
                            /** @description Open and due before the meeting viewed. */
                            overdue: boolean;
                            /** @description Date of the meeting it was closed at. */
                            closedOn: string | null;
                            closedInMeetingId: number | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            updatedBy: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/meetings/{id}/actions/{actionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an action item, raised at this meeting or carried over into it; done or dropped closes it at this meeting
         * @description A closed item stays on the view of the meeting it was closed at and leaves every later one; status open reopens it.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                    actionId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        ownerAgency?: string;
                        description?: string;
                        dueDate?: string | null;
                        status?: "open" | "done" | "dropped";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            /** @description The meeting that raised it. */
                            meetingId: number;
                            /**
                             * @description Calendar date, YYYY-MM-DD
                             * @example 2024-01-31
                             */
                            meetingDate: string;
                            ownerAgency: string;
                            description: string;
                            dueDate: string | null;
                            status: "open" | "done" | "dropped";
                            /** @description Open and due before the meeting viewed. */
                            overdue: boolean;
                            /** @description Date of the meeting it was closed at. */
                            closedOn: string | null;
                            closedInMeetingId: number | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            updatedBy: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/briefs/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The monthly brief: frozen at its first render, per suppression policy
         * @description Headline figures against the month before and a year earlier, the map, new and continuing hotspots, drug-supply changes, the naloxone plan and the last meeting’s action items, as the reader’s role may see them. The first request for a month stores a snapshot with the data and definition versions; later requests return it unchanged after new loads (`newerData` says when there are). `version` reads an earlier snapshot. 404 when no data cover the month.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @description An earlier snapshot; default the latest (made now if none exists). */
                    version?: number;
                };
                header?: never;
                path: {
                    /**
                     * @description YYYY-MM
                     * @example 2025-11
                     */
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /** @description YYYY-MM */
                            month: string;
                            /** @description Snapshot version for this month and this reader’s suppression policy; 1 is the first render. */
                            version: number;
                            /** @description Every snapshot of this month for this policy, newest first. */
                            versions: {
                                version: number;
                                createdAt: string;
                                createdBy: string | null;
                                reason: "first" | "refresh";
                            }[];
                            /** Format: date-time */
                            frozenAt: string;
                            frozenBy: {
                                email: string | null;
                                role: string;
                            };
                            reason: "first" | "refresh";
                            policy: {
                                key: string;
                                /** @description What readers under this policy see (server/policy.ts). */
                                description: string;
                            };
                            /** @description The data the plan was made on (DuckDB loaded_files). */
                            dataVersion: {
                                /** @description Files loaded for the jurisdiction when the plan was made. */
                                files: number;
                                /** @description Ingest run id of the latest load. */
                                lastRun: string | null;
                                lastLoadedAt: string | null;
                                feeds: {
                                    [key: string]: {
                                        files: number;
                                        lastRun: string;
                                        lastLoadedAt: string;
                                    };
                                };
                            };
                            definitionVersions: {
                                [key: string]: string;
                            };
                            /** @description Data were loaded after this snapshot; a refresh (analysts, administrators) would use them. */
                            newerData: boolean;
                            figures: {
                                /** @description YYYY-MM */
                                month: string;
                                jurisdiction: string;
                                jurisdictionName: string;
                                synthetic: boolean;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                from: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                to: string;
                                /** @description YYYY-MM */
                                previousMonth: string;
                                /** @description YYYY-MM */
                                yearAgoMonth: string;
                                headline: {
                                    indicator: string;
                                    label: string;
                                    geography: string;
                                    /** @description false: this role may not see the feed (see note). */
                                    available: boolean;
                                    note: string | null;
                                    current: {
                                        /** @description YYYY-MM */
                                        month: string;
                                        /** @description null when hidden for this role or not covered by the data (see state). */
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                        rate: number | null;
                                        /** @description The data end inside the month. */
                                        partial: boolean;
                                    } | null;
                                    /** @description The month before. */
                                    previous: {
                                        /** @description YYYY-MM */
                                        month: string;
                                        /** @description null when hidden for this role or not covered by the data (see state). */
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                        rate: number | null;
                                        /** @description The data end inside the month. */
                                        partial: boolean;
                                    } | null;
                                    /** @description The same month a year earlier. */
                                    yearAgo: {
                                        /** @description YYYY-MM */
                                        month: string;
                                        /** @description null when hidden for this role or not covered by the data (see state). */
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                        rate: number | null;
                                        /** @description The data end inside the month. */
                                        partial: boolean;
                                    } | null;
                                    /** @description Percent change of the count from the month before; null when either is hidden, missing or 0. */
                                    changePrevious: number | null;
                                    /** @description Percent change from the same month a year earlier. */
                                    changeYearAgo: number | null;
                                    definitionVersion: string | null;
                                }[];
                                map: {
                                    indicator: string;
                                    label: string;
                                    geography: string;
                                    areas: {
                                        id: string;
                                        name: string;
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        rate: number | null;
                                    }[];
                                } | null;
                                hotspots: {
                                    /** @description Alert episodes opened during the month. */
                                    new: {
                                        alertId: number;
                                        indicator: string;
                                        indicatorLabel: string;
                                        method: string;
                                        cadence: string;
                                        area: string;
                                        areaName: string;
                                        status: "open" | "closed";
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        openedOn: string;
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        lastSignalOn: string;
                                        closedOn: string | null;
                                        redPeriods: number;
                                        yellowPeriods: number;
                                        /** @description Observed against expected at the peak, the statistic and its p-value, as far as this role may see them. */
                                        explanation: string;
                                        /** @description The analyst’s note on the episode. */
                                        note: string | null;
                                    }[];
                                    /** @description Opened before the month and open at some time in it. */
                                    continuing: {
                                        alertId: number;
                                        indicator: string;
                                        indicatorLabel: string;
                                        method: string;
                                        cadence: string;
                                        area: string;
                                        areaName: string;
                                        status: "open" | "closed";
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        openedOn: string;
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        lastSignalOn: string;
                                        closedOn: string | null;
                                        redPeriods: number;
                                        yellowPeriods: number;
                                        /** @description Observed against expected at the peak, the statistic and its p-value, as far as this role may see them. */
                                        explanation: string;
                                        /** @description The analyst’s note on the episode. */
                                        note: string | null;
                                    }[];
                                    note: string;
                                };
                                supply: {
                                    available: boolean;
                                    note: string | null;
                                    /** @description Samples tested and samples positive per substance, this month and the month before. */
                                    lines: {
                                        id: string;
                                        label: string;
                                        current: {
                                            /** @description YYYY-MM */
                                            month: string;
                                            /** @description null when hidden for this role or not covered by the data (see state). */
                                            count: number | null;
                                            state: "shown" | "zero" | "suppressed" | "missing";
                                            /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                            rate: number | null;
                                            /** @description The data end inside the month. */
                                            partial: boolean;
                                        } | null;
                                        previous: {
                                            /** @description YYYY-MM */
                                            month: string;
                                            /** @description null when hidden for this role or not covered by the data (see state). */
                                            count: number | null;
                                            state: "shown" | "zero" | "suppressed" | "missing";
                                            /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                            rate: number | null;
                                            /** @description The data end inside the month. */
                                            partial: boolean;
                                        } | null;
                                        change: number | null;
                                    }[];
                                    concentration: {
                                        current: number | null;
                                        previous: number | null;
                                        description: string;
                                    };
                                    /** @description Substances drug checking found for the first time in the jurisdiction this month. */
                                    firstSeen: {
                                        substance: string;
                                        category: string | null;
                                        firstSeen: string;
                                    }[];
                                };
                                plan: {
                                    id: number;
                                    /** @description YYYY-MM */
                                    month: string;
                                    kits: number;
                                    unitLabel: string;
                                    createdAt: string;
                                    createdBy: string | null;
                                    units: {
                                        id: string;
                                        name: string;
                                        kits: number;
                                        explanation: string;
                                    }[];
                                } | null;
                                planNote: string | null;
                                meeting: {
                                    id: number;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    date: string;
                                    title: string | null;
                                    agencies: string[];
                                    actions: {
                                        id: number;
                                        ownerAgency: string;
                                        description: string;
                                        dueDate: string | null;
                                        status: "open" | "done" | "dropped";
                                        overdue: boolean;
                                        closedOn: string | null;
                                        /** @description Raised at an earlier meeting. */
                                        carriedOver: boolean;
                                    }[];
                                } | null;
                                meetingNote: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/briefs/{month}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new version of the month’s brief on the data loaded now (analysts, administrators)
         * @description The earlier versions are kept and stay readable (`?version=`). Only the snapshot for the caller’s suppression policy is made; readers under another policy get a new one on their next request only if they have none.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description YYYY-MM
                     * @example 2025-11
                     */
                    month: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Defaults to the configured default jurisdiction. */
                        jurisdiction?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            jurisdiction: string;
                            /** @description YYYY-MM */
                            month: string;
                            /** @description Snapshot version for this month and this reader’s suppression policy; 1 is the first render. */
                            version: number;
                            /** @description Every snapshot of this month for this policy, newest first. */
                            versions: {
                                version: number;
                                createdAt: string;
                                createdBy: string | null;
                                reason: "first" | "refresh";
                            }[];
                            /** Format: date-time */
                            frozenAt: string;
                            frozenBy: {
                                email: string | null;
                                role: string;
                            };
                            reason: "first" | "refresh";
                            policy: {
                                key: string;
                                /** @description What readers under this policy see (server/policy.ts). */
                                description: string;
                            };
                            /** @description The data the plan was made on (DuckDB loaded_files). */
                            dataVersion: {
                                /** @description Files loaded for the jurisdiction when the plan was made. */
                                files: number;
                                /** @description Ingest run id of the latest load. */
                                lastRun: string | null;
                                lastLoadedAt: string | null;
                                feeds: {
                                    [key: string]: {
                                        files: number;
                                        lastRun: string;
                                        lastLoadedAt: string;
                                    };
                                };
                            };
                            definitionVersions: {
                                [key: string]: string;
                            };
                            /** @description Data were loaded after this snapshot; a refresh (analysts, administrators) would use them. */
                            newerData: boolean;
                            figures: {
                                /** @description YYYY-MM */
                                month: string;
                                jurisdiction: string;
                                jurisdictionName: string;
                                synthetic: boolean;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                from: string;
                                /**
                                 * @description Calendar date, YYYY-MM-DD
                                 * @example 2024-01-31
                                 */
                                to: string;
                                /** @description YYYY-MM */
                                previousMonth: string;
                                /** @description YYYY-MM */
                                yearAgoMonth: string;
                                headline: {
                                    indicator: string;
                                    label: string;
                                    geography: string;
                                    /** @description false: this role may not see the feed (see note). */
                                    available: boolean;
                                    note: string | null;
                                    current: {
                                        /** @description YYYY-MM */
                                        month: string;
                                        /** @description null when hidden for this role or not covered by the data (see state). */
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                        rate: number | null;
                                        /** @description The data end inside the month. */
                                        partial: boolean;
                                    } | null;
                                    /** @description The month before. */
                                    previous: {
                                        /** @description YYYY-MM */
                                        month: string;
                                        /** @description null when hidden for this role or not covered by the data (see state). */
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                        rate: number | null;
                                        /** @description The data end inside the month. */
                                        partial: boolean;
                                    } | null;
                                    /** @description The same month a year earlier. */
                                    yearAgo: {
                                        /** @description YYYY-MM */
                                        month: string;
                                        /** @description null when hidden for this role or not covered by the data (see state). */
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                        rate: number | null;
                                        /** @description The data end inside the month. */
                                        partial: boolean;
                                    } | null;
                                    /** @description Percent change of the count from the month before; null when either is hidden, missing or 0. */
                                    changePrevious: number | null;
                                    /** @description Percent change from the same month a year earlier. */
                                    changeYearAgo: number | null;
                                    definitionVersion: string | null;
                                }[];
                                map: {
                                    indicator: string;
                                    label: string;
                                    geography: string;
                                    areas: {
                                        id: string;
                                        name: string;
                                        count: number | null;
                                        state: "shown" | "zero" | "suppressed" | "missing";
                                        rate: number | null;
                                    }[];
                                } | null;
                                hotspots: {
                                    /** @description Alert episodes opened during the month. */
                                    new: {
                                        alertId: number;
                                        indicator: string;
                                        indicatorLabel: string;
                                        method: string;
                                        cadence: string;
                                        area: string;
                                        areaName: string;
                                        status: "open" | "closed";
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        openedOn: string;
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        lastSignalOn: string;
                                        closedOn: string | null;
                                        redPeriods: number;
                                        yellowPeriods: number;
                                        /** @description Observed against expected at the peak, the statistic and its p-value, as far as this role may see them. */
                                        explanation: string;
                                        /** @description The analyst’s note on the episode. */
                                        note: string | null;
                                    }[];
                                    /** @description Opened before the month and open at some time in it. */
                                    continuing: {
                                        alertId: number;
                                        indicator: string;
                                        indicatorLabel: string;
                                        method: string;
                                        cadence: string;
                                        area: string;
                                        areaName: string;
                                        status: "open" | "closed";
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        openedOn: string;
                                        /**
                                         * @description Calendar date, YYYY-MM-DD
                                         * @example 2024-01-31
                                         */
                                        lastSignalOn: string;
                                        closedOn: string | null;
                                        redPeriods: number;
                                        yellowPeriods: number;
                                        /** @description Observed against expected at the peak, the statistic and its p-value, as far as this role may see them. */
                                        explanation: string;
                                        /** @description The analyst’s note on the episode. */
                                        note: string | null;
                                    }[];
                                    note: string;
                                };
                                supply: {
                                    available: boolean;
                                    note: string | null;
                                    /** @description Samples tested and samples positive per substance, this month and the month before. */
                                    lines: {
                                        id: string;
                                        label: string;
                                        current: {
                                            /** @description YYYY-MM */
                                            month: string;
                                            /** @description null when hidden for this role or not covered by the data (see state). */
                                            count: number | null;
                                            state: "shown" | "zero" | "suppressed" | "missing";
                                            /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                            rate: number | null;
                                            /** @description The data end inside the month. */
                                            partial: boolean;
                                        } | null;
                                        previous: {
                                            /** @description YYYY-MM */
                                            month: string;
                                            /** @description null when hidden for this role or not covered by the data (see state). */
                                            count: number | null;
                                            state: "shown" | "zero" | "suppressed" | "missing";
                                            /** @description Crude rate per 100,000 residents for the month (not annualised). */
                                            rate: number | null;
                                            /** @description The data end inside the month. */
                                            partial: boolean;
                                        } | null;
                                        change: number | null;
                                    }[];
                                    concentration: {
                                        current: number | null;
                                        previous: number | null;
                                        description: string;
                                    };
                                    /** @description Substances drug checking found for the first time in the jurisdiction this month. */
                                    firstSeen: {
                                        substance: string;
                                        category: string | null;
                                        firstSeen: string;
                                    }[];
                                };
                                plan: {
                                    id: number;
                                    /** @description YYYY-MM */
                                    month: string;
                                    kits: number;
                                    unitLabel: string;
                                    createdAt: string;
                                    createdBy: string | null;
                                    units: {
                                        id: string;
                                        name: string;
                                        kits: number;
                                        explanation: string;
                                    }[];
                                } | null;
                                planNote: string | null;
                                meeting: {
                                    id: number;
                                    /**
                                     * @description Calendar date, YYYY-MM-DD
                                     * @example 2024-01-31
                                     */
                                    date: string;
                                    title: string | null;
                                    agencies: string[];
                                    actions: {
                                        id: number;
                                        ownerAgency: string;
                                        description: string;
                                        dueDate: string | null;
                                        status: "open" | "done" | "dropped";
                                        overdue: boolean;
                                        closedOn: string | null;
                                        /** @description Raised at an earlier meeting. */
                                        carriedOver: boolean;
                                    }[];
                                } | null;
                                meetingNote: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/briefs/service-session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A short session for `odstat brief` (local administrator token only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The role the brief is printed as. */
                        role: "analyst" | "commander" | "partner";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cookie: {
                                name: string;
                                value: string;
                                path: string;
                            };
                            email: string;
                            role: string;
                            /** Format: date-time */
                            expiresAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Data status: each feed's loads, freshness, rejected rows by reason, records with no area */
        get: {
            parameters: {
                query?: {
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            feeds: {
                                feed: string;
                                jurisdiction: string;
                                /** @description Files loaded with rows accepted. */
                                files: number;
                                /** @description Rows accepted, summed over the loaded files. */
                                rowsAccepted: number;
                                /** @description Rows rejected, summed over every run (loaded or refused). */
                                rowsRejected: number;
                                rejectsByReason: {
                                    [key: string]: number;
                                };
                                /** @description Latest event date loaded for this feed. */
                                latestEvent: string | null;
                                lastLoadedAt: string | null;
                                daysSinceLastLoad: number | null;
                                lastRun: {
                                    id: string;
                                    feed: string;
                                    jurisdiction: string;
                                    file: string;
                                    /** @description running, succeeded, unchanged, refused, failed or interrupted */
                                    status: string;
                                    actor: string;
                                    /** Format: date-time */
                                    startedAt: string;
                                    finishedAt: string | null;
                                    rowsIn: number | null;
                                    rowsAccepted: number | null;
                                    rowsRejected: number | null;
                                    rowsUnassigned: number | null;
                                    rejectsByReason: {
                                        [key: string]: number;
                                    };
                                    definitionVersions: {
                                        [key: string]: string;
                                    };
                                    message: string | null;
                                } | null;
                            }[];
                            /** @description The most recent runs, newest first. */
                            runs: {
                                id: string;
                                feed: string;
                                jurisdiction: string;
                                file: string;
                                /** @description running, succeeded, unchanged, refused, failed or interrupted */
                                status: string;
                                actor: string;
                                /** Format: date-time */
                                startedAt: string;
                                finishedAt: string | null;
                                rowsIn: number | null;
                                rowsAccepted: number | null;
                                rowsRejected: number | null;
                                rowsUnassigned: number | null;
                                rejectsByReason: {
                                    [key: string]: number;
                                };
                                definitionVersions: {
                                    [key: string]: string;
                                };
                                message: string | null;
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/status/areas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Records of each feed, and those outside every area (by residence and by where the event happened) */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            feeds: {
                                feed: string;
                                /** @description Records of this feed stored for the jurisdiction. */
                                records: number;
                                locations: {
                                    geography: "residence" | "event";
                                    /** @description Records with no area by this location: not given, or outside every area. They count in jurisdiction totals only. */
                                    unassigned: number;
                                }[];
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drug-supply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Drug supply: samples with fentanyl analogues, nitazenes, benzodiazepines by month; fentanyl concentration; substances first seen */
        get: {
            parameters: {
                query?: {
                    /** @description Defaults to the configured default jurisdiction. */
                    jurisdiction?: string;
                    /** @description First day (widened to the first of its month). Default: the first sample. */
                    from?: string;
                    /** @description Last day (widened to the end of its month). Default: the last sample. */
                    to?: string;
                    /** @description Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, application/vnd.apache.arrow.stream). Overrides the Accept header. */
                    format?: "json" | "csv" | "arrow";
                };
                header?: {
                    /** @description An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged. */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The result; as JSON, CSV or Arrow by the Accept header or the format parameter. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jurisdiction: string;
                            from: string;
                            to: string;
                            definitionVersion: string;
                            synthetic: boolean;
                            /** @description Counts from 1 to threshold − 1 are hidden (null) for this role; 0: nothing hidden. */
                            threshold: number;
                            periods: {
                                start: string;
                                end: string;
                                partial: boolean;
                            }[];
                            categories: {
                                id: string;
                                label: string;
                                points: {
                                    period: string;
                                    count: number | null;
                                    state: "shown" | "zero" | "suppressed" | "missing";
                                }[];
                            }[];
                            concentration: {
                                period: string;
                                measured: number | null;
                                median: number | null;
                                p25: number | null;
                                p75: number | null;
                            }[];
                            firstSeen: {
                                substance: string;
                                /** @description fentanyl, fentanyl_analogue, xylazine, nitazene, medetomidine, benzodiazepine, or null. */
                                category: string | null;
                                /** @description YYYY-MM-DD for the analyst; YYYY-MM for roles served by month. */
                                firstSeen: string;
                                /** @description Samples showing it over the whole history; null for roles with a threshold. */
                                samples: number | null;
                                /** @description First seen between from and to. */
                                inRange: boolean;
                            }[];
                        };
                        "text/csv": string;
                        "application/vnd.apache.arrow.stream": string;
                    };
                };
                /** @description Not Modified: the ETag still matches. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads/{feed}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Push an agency's file (the raw bytes as the body) to be loaded
         * @description Authorization: Bearer <upload token>. The file is kept, checked and loaded all-or-nothing; the answer says rows in, accepted and rejected by reason. 422 when the file is refused.
         */
        post: {
            parameters: {
                query?: {
                    jurisdiction?: string;
                    /** @description Name of the file as the agency sent it. */
                    filename?: string;
                };
                header?: never;
                path: {
                    feed: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runId: string;
                            feed: string;
                            /** @description The name the file was sent with. */
                            file: string;
                            status: "succeeded" | "unchanged" | "refused";
                            rowsIn: number;
                            rowsAccepted: number;
                            rowsRejected: number;
                            rowsUnassigned: number;
                            rejectsByReason: {
                                [key: string]: number;
                            };
                            sampleRejects: {
                                line: number;
                                field: string;
                                reason: string;
                                value: string | null;
                            }[];
                            definitionVersions: {
                                [key: string]: string;
                            };
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["def-0"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runId: string;
                            feed: string;
                            /** @description The name the file was sent with. */
                            file: string;
                            status: "succeeded" | "unchanged" | "refused";
                            rowsIn: number;
                            rowsAccepted: number;
                            rowsRejected: number;
                            rowsUnassigned: number;
                            rejectsByReason: {
                                [key: string]: number;
                            };
                            sampleRejects: {
                                line: number;
                                field: string;
                                reason: string;
                                value: string | null;
                            }[];
                            definitionVersions: {
                                [key: string]: string;
                            };
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Error */
        "def-0": {
            statusCode: number;
            error: string;
            /** @description What was wrong, naming the parameter where one was. */
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
