-- TPC-DS Q17 (Appendix B.17): per item and store state, statistics (count, mean, standard
-- deviation, coefficient of variation) of quantities sold in store in the first quarter of a year,
-- returned within three quarters, and bought again by catalog within three quarters.
-- @param YEAR 2001 ~ uniform(1998, 2002)
select
    i_item_id,
    i_item_desc,
    s_state,
    count(ss_quantity) as store_sales_quantitycount,
    avg(ss_quantity) as store_sales_quantityave,
    stddev_samp(ss_quantity) as store_sales_quantitystdev,
    stddev_samp(ss_quantity) / avg(ss_quantity) as store_sales_quantitycov,
    count(sr_return_quantity) as store_returns_quantitycount,
    avg(sr_return_quantity) as store_returns_quantityave,
    stddev_samp(sr_return_quantity) as store_returns_quantitystdev,
    stddev_samp(sr_return_quantity) / avg(sr_return_quantity) as store_returns_quantitycov,
    count(cs_quantity) as catalog_sales_quantitycount,
    avg(cs_quantity) as catalog_sales_quantityave,
    stddev_samp(cs_quantity) as catalog_sales_quantitystdev,
    stddev_samp(cs_quantity) / avg(cs_quantity) as catalog_sales_quantitycov
from
    store_sales,
    store_returns,
    catalog_sales,
    date_dim sold,
    date_dim returned,
    date_dim rebought,
    store,
    item
where sold.d_quarter_name = '${YEAR}Q1'
  and sold.d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and s_store_sk = ss_store_sk
  and sr_customer_sk = ss_customer_sk
  and sr_item_sk = ss_item_sk
  and sr_ticket_number = ss_ticket_number
  and returned.d_date_sk = sr_returned_date_sk
  and returned.d_quarter_name in ('${YEAR}Q1', '${YEAR}Q2', '${YEAR}Q3')
  and cs_bill_customer_sk = sr_customer_sk
  and cs_item_sk = sr_item_sk
  and rebought.d_date_sk = cs_sold_date_sk
  and rebought.d_quarter_name in ('${YEAR}Q1', '${YEAR}Q2', '${YEAR}Q3')
group by i_item_id, i_item_desc, s_state
order by i_item_id, i_item_desc, s_state
limit 100
