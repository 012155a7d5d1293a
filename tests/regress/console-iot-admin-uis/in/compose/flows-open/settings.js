/**
 * Node-RED settings for the workshop.
 */
module.exports = {
    flowFile: 'flows.json',
    uiPort: process.env.PORT || 1880,
    // adminAuth: {
    //     type: "credentials",
    //     users: [{ username: "admin", password: "$2b$08$...", permissions: "*" }]
    // },
    /* adminAuth: require("./user-authentication"), */
    httpNodeRoot: '/api',
    logging: { console: { level: "info" } }
}
