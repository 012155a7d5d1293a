module.exports = {
    uiPort: process.env.PORT || 1880,
    credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET,
    adminAuth: {
        type: "credentials",
        users: [{ username: "ops", password: process.env.NODE_RED_ADMIN_HASH, permissions: "*" }]
    },
    flowFile: "flows.json"
}
