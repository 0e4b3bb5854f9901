-- TPC-DS Q66 (Appendix B.66): web and catalog sales and net amounts per warehouse, by month of a
-- year, of orders sold within an 8-hour period of the day and shipped by one of two carriers; also
-- per square foot of warehouse.
-- @param SALESTWO 'cs_sales_price' ~ choice(['cs_sales_price', 'cs_ext_sales_price', 'cs_ext_list_price'])
-- @param SALESONE 'ws_ext_sales_price' ~ choice(['ws_sales_price', 'ws_ext_sales_price', 'ws_ext_list_price'])
-- @param NETTWO 'cs_net_paid_inc_tax' ~ choice(['cs_net_paid', 'cs_net_paid_inc_tax', 'cs_net_paid_inc_ship', 'cs_net_paid_inc_ship_tax', 'cs_net_profit'])
-- @param NETONE 'ws_net_paid' ~ choice(['ws_net_paid', 'ws_net_paid_inc_tax', 'ws_net_paid_inc_ship', 'ws_net_paid_inc_ship_tax', 'ws_net_profit'])
-- @param SMC ['DHL', 'BARIAN'] ~ sample(vocab('ship_mode_carriers'), 2)
-- @param SMC1 'DHL' ~ SMC[0]
-- @param SMC2 'BARIAN' ~ SMC[1]
-- @param TIMEONE 30838 ~ uniform(1, 57597)
-- @param YEAR 2001 ~ uniform(1998, 2002)
with channel_lines as (
    select
        ws_warehouse_sk as warehouse_sk,
        ws_sold_date_sk as sold_date_sk,
        ws_sold_time_sk as sold_time_sk,
        ws_ship_mode_sk as ship_mode_sk,
        ${SALESONE} * ws_quantity as sales,
        ${NETONE} * ws_quantity as net
    from web_sales
    union all
    select
        cs_warehouse_sk as warehouse_sk,
        cs_sold_date_sk as sold_date_sk,
        cs_sold_time_sk as sold_time_sk,
        cs_ship_mode_sk as ship_mode_sk,
        ${SALESTWO} * cs_quantity as sales,
        ${NETTWO} * cs_quantity as net
    from catalog_sales
),
monthly as (
    select
        w_warehouse_name,
        w_warehouse_sq_ft,
        w_city,
        w_county,
        w_state,
        w_country,
        d_year as sales_year,
        sum(case when d_moy = 1 then sales else 0 end) as jan_sales,
        sum(case when d_moy = 2 then sales else 0 end) as feb_sales,
        sum(case when d_moy = 3 then sales else 0 end) as mar_sales,
        sum(case when d_moy = 4 then sales else 0 end) as apr_sales,
        sum(case when d_moy = 5 then sales else 0 end) as may_sales,
        sum(case when d_moy = 6 then sales else 0 end) as jun_sales,
        sum(case when d_moy = 7 then sales else 0 end) as jul_sales,
        sum(case when d_moy = 8 then sales else 0 end) as aug_sales,
        sum(case when d_moy = 9 then sales else 0 end) as sep_sales,
        sum(case when d_moy = 10 then sales else 0 end) as oct_sales,
        sum(case when d_moy = 11 then sales else 0 end) as nov_sales,
        sum(case when d_moy = 12 then sales else 0 end) as dec_sales,
        sum(case when d_moy = 1 then net else 0 end) as jan_net,
        sum(case when d_moy = 2 then net else 0 end) as feb_net,
        sum(case when d_moy = 3 then net else 0 end) as mar_net,
        sum(case when d_moy = 4 then net else 0 end) as apr_net,
        sum(case when d_moy = 5 then net else 0 end) as may_net,
        sum(case when d_moy = 6 then net else 0 end) as jun_net,
        sum(case when d_moy = 7 then net else 0 end) as jul_net,
        sum(case when d_moy = 8 then net else 0 end) as aug_net,
        sum(case when d_moy = 9 then net else 0 end) as sep_net,
        sum(case when d_moy = 10 then net else 0 end) as oct_net,
        sum(case when d_moy = 11 then net else 0 end) as nov_net,
        sum(case when d_moy = 12 then net else 0 end) as dec_net
    from channel_lines, warehouse, date_dim, time_dim, ship_mode
    where warehouse_sk = w_warehouse_sk
      and sold_date_sk = d_date_sk
      and sold_time_sk = t_time_sk
      and ship_mode_sk = sm_ship_mode_sk
      and d_year = ${YEAR}
      and t_time between ${TIMEONE} and ${TIMEONE} + 28800
      and sm_carrier in (${SMC})
    group by w_warehouse_name, w_warehouse_sq_ft, w_city, w_county, w_state, w_country, d_year
)
select
    w_warehouse_name,
    w_warehouse_sq_ft,
    w_city,
    w_county,
    w_state,
    w_country,
    '${SMC1},${SMC2}' as ship_carriers,
    sales_year,
    jan_sales,
    feb_sales,
    mar_sales,
    apr_sales,
    may_sales,
    jun_sales,
    jul_sales,
    aug_sales,
    sep_sales,
    oct_sales,
    nov_sales,
    dec_sales,
    jan_sales / w_warehouse_sq_ft as jan_sales_per_sq_foot,
    feb_sales / w_warehouse_sq_ft as feb_sales_per_sq_foot,
    mar_sales / w_warehouse_sq_ft as mar_sales_per_sq_foot,
    apr_sales / w_warehouse_sq_ft as apr_sales_per_sq_foot,
    may_sales / w_warehouse_sq_ft as may_sales_per_sq_foot,
    jun_sales / w_warehouse_sq_ft as jun_sales_per_sq_foot,
    jul_sales / w_warehouse_sq_ft as jul_sales_per_sq_foot,
    aug_sales / w_warehouse_sq_ft as aug_sales_per_sq_foot,
    sep_sales / w_warehouse_sq_ft as sep_sales_per_sq_foot,
    oct_sales / w_warehouse_sq_ft as oct_sales_per_sq_foot,
    nov_sales / w_warehouse_sq_ft as nov_sales_per_sq_foot,
    dec_sales / w_warehouse_sq_ft as dec_sales_per_sq_foot,
    jan_net,
    feb_net,
    mar_net,
    apr_net,
    may_net,
    jun_net,
    jul_net,
    aug_net,
    sep_net,
    oct_net,
    nov_net,
    dec_net
from monthly
order by w_warehouse_name
limit 100
